"""Load run of the read pages (``make bench-national LOAD=1``), run by locust headless from its
own virtualenv (.venv-load): never imported by the application or by pytest.

The plan (``LOAD_PLAN``, a JSON file written by ``khuyencong.bench_load``) gives, per role, the
session cookie of an officer who has passed both login steps and the read pages of that role.
Each simulated user takes a role in turn and asks for its pages at random: without pause (the
capacity run), or paced to ``LOAD_PACE`` requests/s each (locust's ``constant_throughput``;
``khuyencong.bench_load.pace_per_user`` divides the judged run's 110 requests/s among the users).
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, constant_throughput, task

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
_ROLES = itertools.cycle(sorted(PLAN))
_PACE = os.environ.get("LOAD_PACE")


class Officer(FastHttpUser):
    wait_time = constant_throughput(float(_PACE)) if _PACE else constant(0)

    def on_start(self) -> None:
        role = next(_ROLES)
        self.role = role
        self.pages = PLAN[role]["pages"]
        self.cookie = f"{PLAN[role]['cookie_name']}={PLAN[role]['session']}"

    @task
    def read_a_page(self) -> None:
        name, url = random.choice(self.pages)
        headers = {"Cookie": self.cookie}
        label = f"{self.role}: {name}"
        # Redirects not followed: a lost session would answer the login page with a 200.
        with self.client.get(
            url, headers=headers, name=label, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
