"""The electronic seal (PAdES, pyHanko) on the product's documents, and checking one.

A document is sealed with its region's organisation certificate. The environment names the
installation's certificate and key (`DOCUMENT_SEAL_CERT`, `DOCUMENT_SEAL_KEY`, PEM, with
`DOCUMENT_SEAL_KEY_PASSPHRASE` if the key has one); an installation that serves several regions
puts each region's own pair beside them in a folder named by the region's county code
(`<folder of DOCUMENT_SEAL_CERT>/22/cert.pem` and `key.pem`), and a region without a folder of
its own is sealed with the installation's pair. `make run` makes a self-signed demonstration
certificate where `DOCUMENT_SEAL_CERT` points if nothing is there (`manage.py
seal_demo_certificate`): nobody outside trusts it, and production brings the regions' own.
The verification page trusts every certificate configured so.
"""

import asyncio
import concurrent.futures
import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

SEAL_FIELD = "Stampel"


class SealUnavailable(RuntimeError):
    """The configured certificate or key cannot be read: documents are not made unsealed."""


def _paths(region_code=""):
    """The certificate and key that seal `region_code`'s documents (see the module's text)."""
    cert_path, key_path = Path(settings.DOCUMENT_SEAL_CERT), Path(settings.DOCUMENT_SEAL_KEY)
    if region_code:
        own = cert_path.parent / region_code
        if (own / "cert.pem").is_file() and (own / "key.pem").is_file():
            return own / "cert.pem", own / "key.pem"
    return cert_path, key_path


def create_demo_certificate(common_name="Kunskapsstyrning demonstrationsstämpel"):
    """Write a self-signed certificate and key where the settings point, unless present.

    Returns True if it made them. For demonstration and tests only: anyone holding the key
    can seal, and nobody outside trusts it.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    cert_path, key_path = _paths()
    if cert_path.exists() and key_path.exists():
        return False
    # RSA, not an elliptic curve: pyHanko marks a P-256 signature as needing PDF 2.0 (ISO 32002),
    # and PDF/A-2 is built on PDF 1.7.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kunskapsstyrning (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return True


_signers = {}


def _key_once_signer(loaded):
    """`loaded` (a pyHanko SimpleSigner) as a signer that parses its RSA key once."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class KeyOnceSigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner parses the private key again for every signature: with
        OpenSSL's checks of an RSA key that was 0.05 of a 1-page document's 0.08 s of sealing
        (make bench-pdf). Once per process and certificate is enough."""

        def sign_raw(self, data, digest_algorithm):
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            if "_key" not in self.__dict__:
                self._key = serialization.load_der_private_key(self.signing_key.dump(), None)
            return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    # SimpleSigner.load() returns a SimpleSigner whatever class it is called on.
    signer = KeyOnceSigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
        signature_mechanism=loaded.signature_mechanism,
    )
    signer.signed_attr_prov_spec = _seal_attributes(loaded.signing_cert)
    return signer


def _seal_attributes(signing_cert):
    """The seal's signed attributes as pyHanko's PAdES specification makes them (a reference
    to the signing certificate, no signing time: PAdES takes the time from the signature
    dictionary), with the certificate's reference encoded once per signer.

    asn1crypto encodes a freshly built SigningCertificateV2 attribute in 3–4 ms, a quarter of
    a one-page document's seal (make bench-pdf); one read back from its own bytes is copied
    into each signature as it is.
    """
    from asn1crypto import tsp
    from pyhanko.sign.attributes import SignedAttributeProviderSpec, SigningCertificateV2Provider
    from pyhanko.sign.general import as_signing_certificate_v2

    reference = tsp.SigningCertificateV2.load(as_signing_certificate_v2(signing_cert).dump())

    class EncodedOnce(SigningCertificateV2Provider):
        async def build_attr_value(self, dry_run=False):
            return reference

    class SealAttributes(SignedAttributeProviderSpec):
        def signed_attr_providers(self, data_digest, digest_algorithm):
            yield EncodedOnce(signing_cert)

    return SealAttributes()


def _signer(region_code=""):
    """The seal's signer for a region, loaded once per process and certificate (files, dates,
    passphrase)."""
    from pyhanko.sign import signers

    cert_path, key_path = _paths(region_code)
    passphrase = settings.DOCUMENT_SEAL_KEY_PASSPHRASE
    try:
        identity = (cert_path, key_path, cert_path.stat().st_mtime, key_path.stat().st_mtime)
    except OSError:
        identity = None
    signer = _signers.get((identity, passphrase)) if identity else None
    if signer is None and identity:
        loaded = signers.SimpleSigner.load(
            str(key_path),
            str(cert_path),
            key_passphrase=passphrase.encode() if passphrase else None,
        )
        if loaded is not None:
            signer = _key_once_signer(loaded)
            _signers[(identity, passphrase)] = signer
    if signer is None:
        raise SealUnavailable(
            f"Stämpelcertifikatet kan inte läsas ({cert_path}, {key_path}); "
            "kör `manage.py seal_demo_certificate` eller ange DOCUMENT_SEAL_CERT/_KEY."
        )
    return signer


def trusted_certificates():
    """The certificates whose seals this installation recognises as its own: the
    installation's and each region's (see the module's text)."""
    from pyhanko.keys import load_certs_from_pemder

    cert_path, _ = _paths()
    paths = [cert_path, *sorted(cert_path.parent.glob("*/cert.pem"))]
    return list(load_certs_from_pemder([str(p) for p in paths if p.is_file()]))


def _outside_event_loop(function, *args, **kwargs):
    """Call one of pyHanko's synchronous functions, which run their own event loop with
    asyncio.run(): in a thread of its own when this thread already runs a loop (an ASGI server,
    or Playwright's sync API in the browser tests), where asyncio.run() would refuse."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def seal_pdf(
    data, *, region_code="", location="", reason="Elektronisk stämpel från Kunskapsstyrning"
):
    """`data` with a PAdES certification seal, by `region_code`'s certificate, that no later
    change survives."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        reason=reason,
        location=location or None,
    )
    signer = _signer(region_code)
    out = _outside_event_loop(
        signers.sign_pdf,
        writer,
        meta,
        signer=signer,
        new_field_spec=fields.SigFieldSpec(SEAL_FIELD),
        # Room for the signature and the certificate, said up front: otherwise pyHanko signs
        # once more to measure (a third of the seal's time).
        bytes_reserved=4096 + 2 * len(signer.signing_cert.dump()),
    )
    return out.getvalue()


@dataclass(frozen=True)
class SealCheck:
    """What a PDF's seal says: `valid` only if ours, unaltered and covering the whole file."""

    sealed: bool
    valid: bool
    reason: str = ""
    signer: str = ""


def check_seal(data):
    """Check the seal of PDF bytes against this installation's certificates."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        return SealCheck(False, False, f"Filen kan inte läsas som PDF ({type(exc).__name__}).")
    if not signatures:
        return SealCheck(False, False, "Filen har ingen elektronisk stämpel.")
    roots = trusted_certificates()
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    signature = signatures[-1]
    try:
        status = _outside_event_loop(validate_pdf_signature, signature, context)
    except Exception as exc:  # pyHanko raises many kinds for a mangled signature
        logger.info("Stämpeln kunde inte kontrolleras", exc_info=True)
        return SealCheck(True, False, f"Stämpeln kan inte kontrolleras ({type(exc).__name__}).")
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    if not status.intact or not status.valid:
        return SealCheck(True, False, "Dokumentet har ändrats efter att det stämplades.", signer)
    if not status.trusted:
        return SealCheck(True, False, "Stämpeln är inte gjord med systemets certifikat.", signer)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SealCheck(
            True, False, "Filen har ändrats eller fått tillägg efter stämpeln.", signer
        )
    return SealCheck(True, True, "", signer)
