// django-otp-webauthn registers a passkey without reloading: reload so that the new
// passkey shows in the list (with its name to change). No inline script (CSP).
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
