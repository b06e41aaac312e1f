"""Extension point of the start page (`views.organisations.home`), for apps built on
assessments (which imports none of them).

A *home badge provider* is a function `provider(organisations) -> {organisation pk: HTML}`,
registered once at start-up from the providing app's `AppConfig.ready()`:

    from assessments.home_extensions import register_home_badges
    register_home_badges(my_provider)

The start page calls every provider once per page view with the organisations of the page
(a list, possibly empty). A provider must answer with a fixed number of queries (one or two,
never one per organisation) and return HTML it rendered and escaped itself (`format_html`);
the page shows each organisation's badges beside its name.
"""

from collections.abc import Callable, Mapping, Sequence

from django.utils.safestring import SafeString

HomeBadgeProvider = Callable[[Sequence[object]], Mapping[int, SafeString]]

_providers: list[HomeBadgeProvider] = []


def register_home_badges(provider: HomeBadgeProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def home_badges(organisations: Sequence[object]) -> dict[int, list[SafeString]]:
    """Per organisation pk, the badges of every provider (in the order they registered)."""
    badges: dict[int, list[SafeString]] = {}
    if not organisations:
        return badges
    for provider in _providers:
        for pk, html in provider(organisations).items():
            badges.setdefault(pk, []).append(html)
    return badges
