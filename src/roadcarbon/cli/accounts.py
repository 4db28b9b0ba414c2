"""`roadcarbon accounts`: the first maintainer of a production database, password resets.

Passwords are read from a hidden prompt or from standard input (``--password-stdin``), never from
the command line (which other users can see in the process list) and never printed.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from roadcarbon.cli._common import command, console, fail

app = typer.Typer(
    no_args_is_help=True, help="Platform accounts: create the first maintainer, reset a password."
)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        fail("password: empty")
    return password


@app.command("create-admin")
@command
def create_admin(
    email: Annotated[str, typer.Option(help="E-mail address (the sign-in name)")],
    name: Annotated[str, typer.Option(help="Display name")] = "Maintainer",
    organisation: Annotated[str, typer.Option(help="Organisation slug")] = "programme",
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a maintainer account (migrates and seeds the reference data first; no demo accounts)."""
    from roadcarbon.cli.serve import prepare_database
    from roadcarbon.db.repositories.accounts import organisation_by_slug
    from roadcarbon.db.session import make_engine, make_sessionmakers
    from roadcarbon.services import accounts
    from roadcarbon.settings import Settings

    url = Settings().database_url
    prepare_database(url, demo=False)
    password = _password(password_stdin)
    engine = make_engine(url)
    try:
        _, write_sessions = make_sessionmakers(engine)
        with write_sessions() as session:
            org = organisation_by_slug(session, organisation)
            if org is None:
                fail(f"--organisation: no organisation {organisation!r}")
            user = accounts.create_operator_admin(
                session, email=email, name=name, password=password, organisation_id=org.id
            )
            session.commit()
            console.print(f"maintainer {user.email} created (id {user.id})", markup=False, highlight=False)
    finally:
        engine.dispose()


@app.command("reset-password")
@command
def reset_password(
    email: Annotated[str, typer.Option(help="E-mail address of the account")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password; the account's sessions end and its sign-in throttle is cleared."""
    from roadcarbon.db.repositories.accounts import user_by_email
    from roadcarbon.db.session import make_engine, make_sessionmakers
    from roadcarbon.services import accounts
    from roadcarbon.settings import Settings

    password = _password(password_stdin)
    engine = make_engine(Settings().database_url)
    try:
        _, write_sessions = make_sessionmakers(engine)
        with write_sessions() as session:
            user = user_by_email(session, email.strip().lower())
            if user is None:
                fail(f"--email: no account {email!r}")
            accounts.set_password(session, user, password)
            session.commit()
            console.print(
                f"password of {user.email} reset; its sessions ended", markup=False, highlight=False
            )
    finally:
        engine.dispose()
