from django.urls import reverse


def test_swedish_by_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="sv"' in response.text and "Logga in" in response.text


def test_english_when_chosen_with_the_switch(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    response = client.get(reverse("accounts:login"))
    assert '<html lang="en"' in response.text and "Log in" in response.text
