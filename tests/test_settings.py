import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # The browser tests allow async-unsafe calls in this process; a deployment must not.
    dropped = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 20
        + "-a-long-random-production-secret-key-for-the-check-0123456789",
        DJANGO_ALLOWED_HOSTS="ks.example.se",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_the_embedded_default_needs_no_configuration():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
        DJANGO_SETTINGS_MODULE="config.settings.local",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_database_url_selects_postgresql_with_persistent_healthchecked_connections():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.SESSION_ENGINE, "
        "s.CELERY_TASK_ALWAYS_EAGER)",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == [
        "django.db.backends.postgresql",
        "600",
        "True",
        "django.contrib.sessions.backends.db",
        "False",
    ]


def test_a_custom_user_model_is_in_place():
    assert settings.AUTH_USER_MODEL == "organisation.User"


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_scripts(client):
    response = client.get("/logga-in/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures(client, alice):
    for _ in range(5):
        response = client.post("/logga-in/", {"username": "alice", "password": "fel"})
    response = client.post("/logga-in/", {"username": "alice", "password": "losenord-123"})
    assert response.status_code == 429
    assert "För många inloggningsförsök" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_gets_a_swedish_message(client, alice):
    response = client.post("/logga-in/", {"username": "alice", "password": "fel"})
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


@pytest.mark.django_db
def test_the_session_ends_after_the_idle_timeout(client, alice):
    client.force_login(alice)
    assert client.get("/").status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_TIMEOUT
    session = client.session
    session.set_expiry(-1)  # as if the idle timeout has passed
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/logga-in/")


@pytest.mark.django_db
def test_extending_the_session_refreshes_it(client, alice):
    client.force_login(alice)
    response = client.post("/session/extend/")
    assert response.status_code == 200
    assert response.json() == {"idle_timeout": settings.SESSION_IDLE_TIMEOUT}


def test_the_site_address_comes_from_the_environment():
    shell = "from django.conf import settings; print(repr(settings.SITE_URL))"
    given = run_manage("shell", "-c", shell, SITE_URL="https://ks.example.se")
    assert given.stdout.splitlines()[-1] == "'https://ks.example.se'", given.stderr
    unset = run_manage("shell", "-c", shell, SITE_URL="")
    assert unset.stdout.splitlines()[-1] == "''", unset.stderr
