"""A steady flow of requests against a serving instance."""

from tests.helpers.cases import case_json

import requests
import threading


class Load(threading.Thread):
    """A user of the site: pages, REST reads, searches, and a registration
    every tenth request, until stopped."""

    def __init__(self, site, auth):
        super().__init__(daemon=True)
        self.site, self.auth = site, auth
        self.stopped = threading.Event()
        self.statuses, self.errors, self.registered = [], [], []

    def run(self):
        http = requests.Session()
        http.auth = self.auth
        http.headers["Accept-Language"] = "zh-CN"
        api = f"{self.site}/++api++"
        n = 0
        while not self.stopped.is_set():
            n += 1
            kind = ("register", "page", "rest", "search", "cases")[
                0 if n % 10 == 0 else 1 + n % 4
            ]
            try:
                if kind == "register":
                    response = http.post(
                        f"{api}/cases",
                        json=case_json(title=f"运行中登记{n}"),
                        headers={"Accept": "application/json"},
                        timeout=120,
                    )
                    if response.status_code == 201:
                        self.registered.append(response.json()["registration_number"])
                elif kind == "page":
                    response = http.get(self.site, timeout=120)
                elif kind == "rest":
                    response = http.get(
                        f"{api}/cases/@search",
                        params={"portal_type": "PetitionCase"},
                        headers={"Accept": "application/json"},
                        timeout=120,
                    )
                elif kind == "search":
                    response = http.get(
                        f"{self.site}/@@archive-search",
                        params={"SearchableText": "补偿"},
                        timeout=120,
                    )
                else:
                    response = http.get(f"{self.site}/cases", timeout=120)
            except requests.RequestException as error:
                self.errors.append((kind, repr(error)))
                continue
            self.statuses.append(response.status_code)
            expected = 201 if kind == "register" else 200
            if response.status_code != expected:
                self.errors.append((kind, response.status_code, response.text[:300]))

    def stop(self):
        self.stopped.set()
        self.join(timeout=180)
