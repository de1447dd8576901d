"""``detector serve``'s page: the form over HTTP (its answer is the report
``detector flag --format html`` writes) and in headless chromium, filled in
and submitted with page scripts off, and with markup in the text."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import httpx

from browser import Browser
from servers import flag_stdin
from detector.service.config import MAX_TEXT_CHARS

FORM = {"content-type": "application/x-www-form-urlencoded"}
HOSTILE = (
    "The council met on Monday <script>document.title = 'pwned'</script> and voted "
    "<img src=x onerror=\"document.title = 'pwned'\"> to repair the bridge before winter.\n\n"
    "Residents said <b>the plan</b> was late & expensive, but they welcomed it anyway.\n"
)


def submit(served, **fields: str) -> httpx.Response:
    """POST the page's form as a browser sends it."""
    body = urlencode({k: v.replace("\n", "\r\n") for k, v in fields.items()})
    return httpx.post(served.url + "/", content=body.encode("ascii"), headers=FORM, timeout=120)


def test_the_form(served):
    page = httpx.get(served.url + "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    html = page.text
    assert re.search(r'<form method="post" action="/"', html)
    assert re.findall(r'<textarea id="(\w+)" name="(\w+)"', html) == [("text", "text"),
                                                                      ("original", "original")]
    assert "<script" not in html and f'maxlength="{MAX_TEXT_CHARS}"' in html


def test_the_answer_is_the_html_report(served, seed_mangled, seed_clean, repo_root, tmp_path):
    text = seed_mangled.read_text(encoding="utf-8")
    answer = submit(served, text=text, original="")
    assert answer.status_code == 200 and "default-src 'none'" in answer.headers[
        "content-security-policy"]
    assert answer.text == flag_stdin("html", input=text, cwd=repo_root)
    original = seed_clean.read_text(encoding="utf-8")
    (tmp_path / "<reference>").write_text(original, encoding="utf-8")
    compared = submit(served, text=text, original=original)
    assert compared.status_code == 200
    assert compared.text == flag_stdin("html", "--reference", "<reference>", input=text,
                                       cwd=tmp_path)
    assert "<details><summary>" in compared.text  # each paragraph's source and changes


def test_form_errors_are_pages(served):
    missing = submit(served, original="An original.")
    assert missing.status_code == 422 and "the form has no text" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    long = submit(served, text="w" * (MAX_TEXT_CHARS + 1))
    assert long.status_code == 413 and f"longer than {MAX_TEXT_CHARS}" in long.text
    as_json = httpx.post(served.url + "/", json={"text": "A text."})
    assert as_json.status_code == 415 and "application/x-www-form-urlencoded" in as_json.text
    broken = httpx.post(served.url + "/", content=b"text=%ff%fe", headers=FORM)
    assert broken.status_code == 400 and "not valid" in broken.text
    for response in (missing, long, as_json, broken):
        assert '<a href="/">' in response.text and "Traceback" not in response.text


def test_the_page_in_a_real_browser(served, seed_mangled, tmp_path):
    with Browser(tmp_path / "profile") as browser:
        # Page scripts off: the form works without JavaScript.
        tab = browser.open(served.url + "/", scripts=False)
        browser.type_into(tab, "#text", seed_mangled.read_text(encoding="utf-8"))
        browser.click(tab, "#check")
        assert browser.count(tab, ".para.flagged") == 25
        assert browser.count(tab, "section.doc") == 1
        assert "<title>detector report</title>" in browser.html(tab)
        # Scripts on: markup in either text is shown as text, never run.
        tab = browser.open(served.url + "/", scripts=True)
        browser.type_into(tab, "#text", HOSTILE)
        browser.type_into(tab, "#original", HOSTILE.replace("repair", "mend"))
        browser.click(tab, "#check")
        page = browser.html(tab)
        assert "<title>detector report</title>" in page  # the script did not run
        assert browser.count(tab, "script") == 0 and browser.count(tab, "img") == 0
        assert browser.count(tab, "section.doc b") == browser.count(tab, "section.doc") == 1
        assert "&lt;script&gt;document.title = 'pwned'&lt;/script&gt;" in page
        assert "&lt;img src=x onerror=" in page and "&lt;b&gt;the plan&lt;/b&gt;" in page
