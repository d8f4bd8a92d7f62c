"""review.html in a real browser (Debian chromium, headless, through selenium): every crop
loads, the filters work, nothing logs a JavaScript error. One page load, a few clicks."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_review_page import write_page

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()) or shutil.which("soffice") is None,
    reason="needs Debian chromium, chromedriver and LibreOffice",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(write_page(tmp_path_factory.mktemp("page")).as_uri())
        yield driver
    finally:
        driver.quit()


def visible_ids(driver: object) -> list[str]:
    return driver.execute_script(  # type: ignore[attr-defined]
        "return Array.from(document.querySelectorAll('section.sub'))"
        ".filter(s => s.offsetParent !== null).map(s => s.id || 'batch')"
    )


def choose(driver: object, select_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", select_id)).select_by_value(value)  # type: ignore[attr-defined]


def test_every_crop_loads(browser: object) -> None:
    images = browser.execute_script(  # type: ignore[attr-defined]
        "return Array.from(document.images).map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])"
    )
    assert len(images) >= 4
    broken = [src for src, complete, width in images if not complete or width == 0]
    assert broken == []


def test_filters_work(browser: object) -> None:
    assert visible_ids(browser) == ["S-jia", "S-bing", "S-yi", "batch"]
    choose(browser, "f-verdict", "通过")
    assert visible_ids(browser) == ["S-yi"]
    assert browser.find_element("id", "shown").text == "1"  # type: ignore[attr-defined]
    choose(browser, "f-verdict", "")
    choose(browser, "f-recommender", "大同市工业和信息化局")
    assert visible_ids(browser) == ["S-bing", "S-yi"]
    choose(browser, "f-recommender", "")
    choose(browser, "f-kind", "示范项目")
    assert visible_ids(browser) == ["S-yi"]
    choose(browser, "f-kind", "")
    choose(browser, "f-code", "LICENSE_EXPIRED")
    assert visible_ids(browser) == ["S-jia"]
    codes = browser.execute_script(  # type: ignore[attr-defined]
        "return Array.from(document.querySelectorAll('#S-jia .finding'))"
        ".filter(f => f.offsetParent !== null).map(f => f.dataset.code)"
    )
    assert codes == ["LICENSE_EXPIRED"], "findings of other codes are folded away"
    choose(browser, "f-code", "")
    assert len(visible_ids(browser)) == 4


def test_no_javascript_errors(browser: object) -> None:
    entries = browser.get_log("browser")  # type: ignore[attr-defined]
    assert [e for e in entries if e.get("level") == "SEVERE"] == []
