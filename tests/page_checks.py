"""Checks the page tests share: a body against the words a person read on the page."""


def check_body(publication, expected):
    """``expected``: the (first, last) words of the body as the page shows them, or None for
    a page without that body (no publication, or one without text)."""
    if expected is None:
        assert publication is None or publication.text is None
        return
    first, last = expected
    assert publication.text.startswith(first), publication.text[:200]
    assert publication.text.endswith(last), publication.text[-200:]
