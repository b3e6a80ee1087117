"""Start the real OpenID provider (tests/oidc/provider.mjs, `oidc-provider` on Node.js).

`OpenIDProvider(...).start()` writes the provider's configuration to a temporary file, runs
`node provider.mjs` on a free port and waits until it listens. The signing key is made here,
so a test can also sign a token with the provider's own key (`sign`) and see the product
judge it exactly as it judges the provider's. `npm ci` installs the provider from
package-lock.json when node_modules is missing (.ci/run does it ahead).
"""

import json
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

HERE = Path(__file__).parent
CLIENT_ID = "kunskapsstyrning"
CLIENT_SECRET = "test-only-client-secret-0123456789abcdef"


class ProviderUnavailable(RuntimeError):
    pass


def install():
    """`npm ci` in tests/oidc unless the provider is installed already."""
    if (HERE / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise ProviderUnavailable("Node.js and npm are needed: apt-get install nodejs npm")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def new_signing_key(kid="test-key"):
    """A fresh RSA key as (private key object, private JWK dict)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(key))
    jwk.pop("key_ops", None)  # PyJWT says ["sign"]; the provider verifies with it too (logout)
    jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
    return key, jwk


class OpenIDProvider:
    def __init__(
        self,
        *,
        redirect_uris,
        post_logout_redirect_uris=(),
        accounts=None,
        id_token_ttl=3600,
        clock_offset_seconds=0,
        kid="test-key",
    ):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key, jwk = new_signing_key(kid)
        self.kid = kid
        self.config = {
            "issuer": self.issuer,
            "port": self.port,
            "jwks": {"keys": [jwk]},
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": list(redirect_uris),
                    "post_logout_redirect_uris": list(post_logout_redirect_uris),
                }
            ],
            "accounts": accounts or {},
            "idTokenTtl": id_token_ttl,
            "clockOffsetSeconds": clock_offset_seconds,
        }
        self.process = None
        self._folder = None

    @property
    def endpoints(self):
        """The product's settings for this provider (oidc-provider's default routes)."""
        return {
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.issuer}/session/end",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        }

    def start(self, timeout=20):
        install()
        self._folder = tempfile.TemporaryDirectory(prefix="oidc-provider-")
        config_path = Path(self._folder.name) / "config.json"
        config_path.write_text(json.dumps(self.config))
        self.process = subprocess.Popen(
            [shutil.which("node"), str(HERE / "provider.mjs"), str(config_path)],
            cwd=HERE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("ready"):
                return self
            if not line and self.process.poll() is not None:
                break
        self.stop()
        raise ProviderUnavailable("the OpenID provider did not start (tests/oidc/provider.mjs)")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self._folder is not None:
            self._folder.cleanup()

    def sign(self, claims, key=None):
        """An ID token with `claims`, signed with the provider's key (or another `key`)."""
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})
