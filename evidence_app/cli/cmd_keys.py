"""``evidence-app keys``: create, import and show signing and age identities.

Passphrases come from environment variables only (``--pass-env VAR``), never from the
command line, and are never stored.
"""

from __future__ import annotations

import argparse
import datetime as _dt
from pathlib import Path

from evidence_app.cli._common import existing_file, print_json, secret_from_env
from evidence_app.crypto import age_keys, identities
from evidence_app.errors import EXIT_OK, UsageError
from evidence_app.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("keys", help=tr("cli.keys.help"), description=tr("cli.keys.help"))
    actions = parser.add_subparsers(dest="keys_command", metavar=tr("cli.command_metavar"))

    new_signing = actions.add_parser("new-signing", help=tr("cli.keys.new_signing.help"))
    new_signing.add_argument("--out", required=True, help=tr("cli.keys.opt_out_p12"))
    new_signing.add_argument("--name", required=True, help=tr("cli.keys.opt_name"))
    new_signing.add_argument("--uscc", required=True, help=tr("cli.keys.opt_uscc"))
    new_signing.add_argument(
        "--pass-env", required=True, metavar="VAR", help=tr("cli.keys.opt_pass_env")
    )
    new_signing.add_argument("--cert-out", help=tr("cli.keys.opt_cert_out"))
    new_signing.set_defaults(handler=run_new_signing)

    imp = actions.add_parser("import-signing", help=tr("cli.keys.import_signing.help"))
    imp.add_argument("source", help=tr("cli.keys.arg_p12_source"))
    imp.add_argument("--out", required=True, help=tr("cli.keys.opt_out_p12"))
    imp.add_argument("--pass-env", required=True, metavar="VAR", help=tr("cli.keys.opt_pass_env"))
    imp.add_argument("--new-pass-env", metavar="VAR", help=tr("cli.keys.opt_new_pass_env"))
    imp.add_argument("--cert-out", help=tr("cli.keys.opt_cert_out"))
    imp.set_defaults(handler=run_import_signing)

    new_age = actions.add_parser("new-age", help=tr("cli.keys.new_age.help"))
    new_age.add_argument("--out", required=True, help=tr("cli.keys.opt_out_age"))
    new_age.add_argument("--pass-env", metavar="VAR", help=tr("cli.keys.opt_pass_env"))
    new_age.set_defaults(handler=run_new_age)

    imp_age = actions.add_parser("import-age", help=tr("cli.keys.import_age.help"))
    imp_age.add_argument("source", help=tr("cli.keys.arg_age_source"))
    imp_age.add_argument("--out", required=True, help=tr("cli.keys.opt_out_age"))
    imp_age.add_argument(
        "--pass-env", required=True, metavar="VAR", help=tr("cli.keys.opt_pass_env")
    )
    imp_age.set_defaults(handler=run_import_age)

    show = actions.add_parser("show", help=tr("cli.keys.show.help"))
    show.add_argument("file", help=tr("cli.keys.arg_key_file"))
    show.add_argument("--pass-env", metavar="VAR", help=tr("cli.keys.opt_pass_env"))
    show.add_argument("--json", action="store_true", help=tr("cli.opt.json"))
    show.set_defaults(handler=run_show)


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _signing_details(identity: identities.SigningIdentity) -> dict[str, object]:
    cert = identity.cert
    return {
        "type": "signing",
        "subject": identity.subject,
        "organisation": identities.subject_organisation(cert),
        "uscc": identities.subject_uscc(cert),
        "fingerprint_sha256": identity.fingerprint,
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "self_signed": cert.issuer == cert.subject,
        "chain": [c.subject.rfc4514_string() for c in identity.chain],
    }


def _print_signing(identity: identities.SigningIdentity) -> None:
    d = _signing_details(identity)
    print(tr("cli.keys.signing_subject", subject=d["subject"]))
    print(tr("cli.keys.signing_fingerprint", fingerprint=d["fingerprint_sha256"]))
    print(tr("cli.keys.signing_validity", start=d["not_before"], end=d["not_after"]))


def _write_cert(identity: identities.SigningIdentity, path: str | None) -> None:
    if path:
        Path(path).write_bytes(identities.cert_pem(identity.cert))
        print(tr("cli.keys.cert_written", path=path))


def run_new_signing(args: argparse.Namespace) -> int:
    passphrase = secret_from_env(args.pass_env)
    identity = identities.new_signing_identity(
        args.name, args.uscc, passphrase, Path(args.out), _now
    )
    print(tr("cli.keys.signing_created", path=args.out))
    _print_signing(identity)
    _write_cert(identity, args.cert_out)
    return EXIT_OK


def run_import_signing(args: argparse.Namespace) -> int:
    passphrase = secret_from_env(args.pass_env)
    new_pass = secret_from_env(args.new_pass_env) if args.new_pass_env else None
    identity = identities.import_signing_identity(
        existing_file(args.source), passphrase, Path(args.out), new_pass
    )
    print(tr("cli.keys.signing_imported", path=args.out))
    _print_signing(identity)
    _write_cert(identity, args.cert_out)
    return EXIT_OK


def run_new_age(args: argparse.Namespace) -> int:
    if not args.pass_env:
        raise UsageError("crypto.age.passphrase_required")
    recipient = age_keys.new_age_identity(Path(args.out), secret_from_env(args.pass_env))
    print(tr("cli.keys.age_created", path=args.out))
    print(recipient)
    return EXIT_OK


def run_import_age(args: argparse.Namespace) -> int:
    passphrase = secret_from_env(args.pass_env)
    recipients = age_keys.import_age_identity(
        existing_file(args.source), Path(args.out), passphrase
    )
    print(tr("cli.keys.age_imported", path=args.out, source=args.source))
    for recipient in recipients:
        print(recipient)
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    path = existing_file(args.file)
    passphrase = secret_from_env(args.pass_env) if args.pass_env else None
    head = path.read_bytes()[:64]
    if age_keys.is_encrypted_identity_file(head) or head.lstrip().startswith((b"#", b"AGE-")):
        recipients = [str(i.to_public()) for i in age_keys.load_age_identity(path, passphrase)]
        if args.json:
            print_json({"type": "age", "recipients": recipients})
        else:
            print(tr("cli.keys.age_recipients", path=str(path)))
            for recipient in recipients:
                print(recipient)
        return EXIT_OK
    if passphrase is None:
        raise UsageError("cli.keys.pass_needed", path=str(path))
    identity = identities.load_signing_identity(path, passphrase)
    if args.json:
        print_json(_signing_details(identity))
    else:
        _print_signing(identity)
    return EXIT_OK
