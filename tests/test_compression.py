import gzip

import pytest
from django.urls import reverse

from tests.territories.factories import TerritoryFactory


@pytest.mark.django_db
def test_pages_are_compressed_for_weak_signals(volunteer_client, org):
    for i in range(20):
        TerritoryFactory(organisation=org, name=f"Quartier {i}")
    response = volunteer_client.get(reverse("territory_list"), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content)
    assert b"Quartier 19" in html
    assert len(response.content) < len(html) / 3
