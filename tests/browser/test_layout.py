"""The base layout on a phone: landmarks, labels, 44 px tap targets, 200 % zoom."""

from __future__ import annotations

import pytest

from organisations.models import Role
from tests.organisations.factories import MembershipFactory
from tests.territories.factories import (
    ObservationFactory,
    PartnerFactory,
    PlaceFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Interactive elements that are visible, with their size and accessible label.
AUDIT = """
() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && r.right > 0
      && style.visibility !== 'hidden'
      && !el.closest('details:not([open]) > :not(summary)');
  };
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const targets = [...document.querySelectorAll(selector)]
    .filter(visible)
    .filter((el) => !el.closest('.prose'))
    .map((el) => {
      const r = el.getBoundingClientRect();
      // A checkbox is tapped through its row: the whole label or field line.
      const row = (el.type === 'checkbox' || el.type === 'radio')
        && el.closest('.field-checkbox, label');
      const box = row ? row.getBoundingClientRect() : r;
      const text = (el.innerText || el.name || '').trim().slice(0, 40);
      return {tag: el.tagName, text, h: Math.round(box.height)};
    });
  const unlabelled = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map((el) => el.name);
  return {
    targets,
    unlabelled,
    mains: document.querySelectorAll('main').length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}
"""


@pytest.fixture
def directory(org):
    territory = TerritoryFactory(organisation=org, name="Prades", description="Ville-centre.")
    PlaceFactory(territory=territory, name="Marché du mardi", latitude=42.6, longitude=2.4)
    PartnerFactory(organisation=org, name="CCAS de Prades").territories.add(
        territory, through_defaults={"organisation": org}
    )
    ObservationFactory(territory=territory)
    return territory


PAGES = [
    "/",
    "/territories/",
    "/territories/{t}/",
    "/places/new/",
    "/partners/",
    "/members/",
    "/members/invite/",
    "/password_change/",
    "/organisation/settings/",
]


@pytest.mark.parametrize("width", [390, 195], ids=["phone", "phone-at-200%-zoom"])
def test_main_pages_are_usable_on_a_phone(login, org, directory, width):
    manager = MembershipFactory(organisation=org, role=Role.MANAGER).user  # sees every page
    page = login(manager.email)
    page.set_viewport_size({"width": width, "height": 844})
    for path in PAGES:
        page.goto(path.format(t=directory.pk))
        audit = page.evaluate(AUDIT)
        assert audit["mains"] == 1, path
        assert audit["unlabelled"] == [], path
        assert audit["overflow"] <= 0, f"{path} scrolls sideways at {width}px"
        small = [t for t in audit["targets"] if t["h"] < 44]
        assert small == [], f"{path}: tap targets under 44 px: {small}"


def test_focus_is_visible(login, org, directory):
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    page = login(coordinator.email)
    page.goto("/territories/")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle + ' '"
        " + getComputedStyle(document.activeElement).outlineWidth"
    )
    assert outline.startswith("solid") and not outline.endswith(" 0px")
