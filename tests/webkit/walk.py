"""The app in WebKit, the engine of iOS Safari and of WeChat on iOS (WebKitGTK's
WebKitWebDriver, under Xvfb): in Chinese and in English, a resident opens the home page,
files a case through to its confirmation, tracks it with its tracking code, searches the
public board, reads a document and the statistics. Fails on any page error.

Usage: python walk.py BASE_URL (run by scripts/webkit.sh, which starts the server)."""

import sys
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as when
from selenium.webdriver.support.ui import Select, WebDriverWait

MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
DRIVER = "/usr/bin/WebKitWebDriver"

# Errors and rejections, collected from the moment the hook is installed. WebDriver cannot
# run a script before the page's own, so the first load is checked by the app having
# started (its heading replaced the static skeleton); later moves happen inside the app.
HOOK = """
window.__walkErrors = window.__walkErrors || [];
if (!window.__walkHooked) {
  window.__walkHooked = true;
  addEventListener('error', (e) => __walkErrors.push(String(e.message || e)));
  addEventListener('unhandledrejection', (e) => __walkErrors.push(String(e.reason)));
}
"""

HEADINGS = {
    "zh-CN": {"home": "您的诉求，我们来办", "file": "提交诉求", "send": "提交诉求", "sent": "诉求已提交", "stats": "办理情况"},
    "en": {"home": "Tell the city", "file": "File a case", "send": "Send", "sent": "Case sent", "stats": "Performance"},
}


def browser():
    options = webdriver.WebKitGTKOptions()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    service = webdriver.WebKitGTKService(executable_path=DRIVER)
    driver = webdriver.WebKitGTK(options=options, service=service)
    driver.set_window_size(480, 900)
    return driver


class Walk:
    def __init__(self, driver, base, language):
        self.driver = driver
        self.base = base
        self.language = language
        self.words = HEADINGS[language]
        # The app re-renders as data arrives: an element found a moment ago may be gone.
        self.wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))

    def step(self, name):
        print(f"  [{self.language}] {name}", flush=True)

    def heading(self, text):
        """Waits for the app's heading: the app's `<main id="main">`, not the page's static
        skeleton, which already shows the route's heading before the app has started."""
        self.wait.until(
            lambda d: text in (d.find_element(By.CSS_SELECTOR, "main#main h1").text or ""),
            f"heading {text!r}",
        )

    def follow(self, href):
        """A click on a link of the app's navigation: the app moves without a reload."""
        self.present(f'a[href="{href}"]').click()

    def present(self, selector):
        return self.wait.until(
            when.presence_of_element_located((By.CSS_SELECTOR, selector)), f"no {selector}"
        )

    def fill(self, element_id, value):
        field = self.present(f"#{element_id}")
        field.clear()
        field.send_keys(value)

    def tick(self, element_id):
        """Checks a radio or checkbox as a tap would (the click event, at the element itself,
        wherever the page has scrolled)."""
        box = self.driver.find_element(By.ID, element_id)
        if not box.is_selected():
            self.driver.execute_script(
                "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", box
            )
        assert box.is_selected(), element_id

    def press(self, selector):
        """Taps the last button `selector` finds, wherever the page has scrolled."""
        button = self.driver.find_elements(By.CSS_SELECTOR, selector)[-1]
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", button
        )

    def errors(self):
        return self.driver.execute_script("return window.__walkErrors || []")

    def run(self):
        driver = self.driver
        query = "" if self.language == "zh-CN" else "?lang=en"
        self.step("home")
        driver.get(f"{self.base}/{query}")
        self.heading(self.words["home"])
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == self.language
        # The stylesheet is inline, allowed by its hash in the page's CSP: it applied.
        primary = driver.execute_script(
            "return getComputedStyle(document.documentElement)"
            ".getPropertyValue('--civic-color-primary').trim()"
        )
        assert primary, "the page's inline stylesheet did not apply"
        driver.execute_script(HOOK)
        # A new resident: no draft or cases of the walk before (the language stays in the URL).
        driver.execute_script("localStorage.removeItem('civic.draft')")

        self.step("file a case")
        self.follow("/file")
        self.heading(self.words["file"])
        self.press("main .c-button")
        self.present("#field-kind")
        self.tick("field-kind")
        self.wait.until(
            lambda d: len(Select(d.find_element(By.ID, "field-category")).options) > 1,
            "no categories",
        )
        Select(driver.find_element(By.ID, "field-category")).select_by_value("environment.noise")
        Select(driver.find_element(By.ID, "field-district")).select_by_value("wuhou")
        self.fill("field-place", "人民南路四段12号")
        self.fill("field-title", f"WebKit 施工噪音 {int(time.time()) % 100000}")
        self.fill("field-description", "每晚十一点以后工地仍在施工，噪音很大，影响休息。")
        self.fill("field-contact-name", "王小明")
        self.fill("field-contact-phone", "13912345678")
        self.tick("field-privacy-accepted")
        self.press("form.c-form button[type=submit]")
        self.present(".c-summary")
        send = driver.find_element(
            By.XPATH, f"//main//button[normalize-space()='{self.words['send']}']"
        )
        driver.execute_script("arguments[0].click()", send)
        self.heading(self.words["sent"])
        number = driver.find_element(By.CSS_SELECTOR, ".c-confirmation__number").text.strip()
        code = driver.find_element(By.CSS_SELECTOR, ".c-code").text.strip()
        assert number and code, (number, code)

        self.step(f"track {number} with its code")
        self.follow("/track")
        self.fill("field-number", number)
        self.fill("field-tracking-code", code)
        self.press("main form button[type=submit]")
        owner = self.present(".c-owner")
        assert "13912345678" in owner.text, owner.text

        self.step("search the board")
        self.follow("/cases")
        self.fill("field-q", "噪音")
        self.press(".c-board__filters button[type=submit]")
        self.wait.until(lambda d: "q=" in d.current_url, "the search in the address")
        self.present(".c-board .c-card")

        self.step("read a document")
        self.follow("/documents")
        first = self.wait.until(
            when.element_to_be_clickable((By.CSS_SELECTOR, "main .c-card a")), "no document"
        )
        title = first.text.strip()
        first.click()
        self.heading(title)

        self.step("statistics")
        self.follow("/statistics")
        self.heading(self.words["stats"])
        self.present(".c-figure")

        errors = self.errors()
        assert errors == [], f"page errors: {errors}"
        # Every module and pack came once: WebKit gives no preloaded fetch to a later
        # fetch(), so the page fetches them itself, ahead (scripts/split-wasm.mjs).
        fetched = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name.split('/').pop())"
            ".filter(n => n.endsWith('.wasm') || n.endsWith('.pack'))"
        )
        twice = sorted({name for name in fetched if fetched.count(name) > 1})
        assert fetched and twice == [], f"fetched more than once: {twice}"


def main():
    base = sys.argv[1].rstrip("/")
    driver = browser()
    failed = 0
    try:
        for language in ("zh-CN", "en"):
            try:
                Walk(driver, base, language).run()
                print(f"ok: the walk in {language}", flush=True)
            except (AssertionError, WebDriverException) as failure:
                failed += 1
                print(f"FAILED: the walk in {language}: {type(failure).__name__}: {failure} at {driver.current_url}", flush=True)
                print(driver.find_element(By.TAG_NAME, "body").text[:1500], flush=True)
    finally:
        driver.quit()
    print(f"webkit: {2 - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
