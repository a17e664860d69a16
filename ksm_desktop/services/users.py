"""Local accounts: who may sign in, with which role, and the single-user mode for a lone laptop.

Passwords are hashed with Argon2id (argon2-cffi; 64 MiB, t=3, p=1, stronger than OWASP's
minimum) and never stored or logged in clear. Repeated failures lock the account for a while.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ksm_desktop.db import audit
from ksm_desktop.db.engine import Database
from ksm_desktop.db.models import Setting
from ksm_desktop.db.models_security import UserAccount
from ksm_desktop.domain.enums import AccountRole
from ksm_desktop.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ksm_desktop.i18n import _
from ksm_desktop.services.base import Actor, Service, now

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD = 10
MAX_FAILURES = 5
LOCK_MINUTES = 5
SINGLE_USER_KEY = "security.single_user"


@cache
def hasher() -> PasswordHasher:
    """Argon2id with our costs, loaded when a password is first hashed or checked: the start in
    single-user mode (and every start before the sign-in dialog) does without its library."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=3, memory_cost=65536, parallelism=1)


@cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so a wrong name costs as much time as a wrong
    password. Made on first use: hashing costs a quarter of a second that no start-up should pay."""
    return hasher().hash("not a password of anyone")


@dataclass(frozen=True)
class UserDTO:
    id: int
    username: str
    full_name: str | None
    role: str
    active: bool
    last_login: dt.datetime | None
    locked_until: dt.datetime | None


def _dto(u: UserAccount) -> UserDTO:
    return UserDTO(u.id, u.username, u.full_name, u.role, u.active, u.last_login, u.locked_until)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            _("The password must have at least {n} characters.").format(n=MIN_PASSWORD), "password"
        )


def _check_role(role: str) -> None:
    if role not in set(AccountRole):
        raise ValidationError(_("Unknown role “{role}”.").format(role=role), "role")


def _username(raw: str) -> str:
    name = raw.strip().lower()
    if not name or len(name) > 60 or any(c.isspace() for c in name):
        raise ValidationError(_("A user name is one word of at most 60 characters."), "username")
    return name


def has_users(db: Database) -> bool:
    """False on first start: the administrator account must be created."""
    with db.reading() as session:
        return bool(session.scalar(select(func.count()).select_from(UserAccount)))


def single_user_mode(db: Database) -> bool:
    with db.reading() as session:
        return session.scalar(single_user_statements()[0]) == "1"


def single_user_statements() -> tuple[Select[tuple[str]], Select[tuple[str, str]]]:
    """The single-user setting's value ("1": on), and the administrator who then works: the
    first active one (also read, compiled for SQLite, by the first figures at start)."""
    return (
        select(Setting.value).where(Setting.key == SINGLE_USER_KEY),
        select(UserAccount.username, UserAccount.role)
        .where(UserAccount.role == "admin", UserAccount.active.is_(True))
        .order_by(UserAccount.id)
        .limit(1),
    )


def create_first_admin(db: Database, username: str, password: str, full_name: str | None = None) -> UserDTO:
    """The first account of a database (first start): always an administrator, refused afterwards."""
    if has_users(db):
        raise ConflictError(_("The administrator account already exists."))
    _check_password(password)
    name = _username(username)
    with db.transaction(actor=name) as session:
        user = UserAccount(
            username=name,
            full_name=full_name,
            role="admin",
            password_hash=hasher().hash(password),
            created_at=now(),
        )
        session.add(user)
        session.flush()
        return _dto(user)


def authenticate(db: Database, username: str, password: str, at: dt.datetime | None = None) -> Actor:
    """The Actor for a correct user name and password; one same message for every failure.

    Every attempt verifies one Argon2 hash (the account's, or a dummy one for an unknown, disabled
    or locked account), so neither the answer nor its time tells whether a user name exists or is
    locked. A failure is counted in its own committed transaction; after MAX_FAILURES in a row the
    account is locked for LOCK_MINUTES, and the lock is written to the audit log.
    """
    at = at or now()
    name = username.strip().lower()
    actor: Actor | None = None
    with db.transaction(actor=name or "?") as session:
        user = session.scalars(select(UserAccount).where(UserAccount.username == name)).one_or_none()
        usable = user is not None and user.active and (user.locked_until is None or user.locked_until <= at)
        correct = _verify(user.password_hash if user is not None and usable else _dummy_hash(), password)
        if user is None or not usable:
            pass
        elif not correct:
            user.failed_attempts += 1
            if user.failed_attempts >= MAX_FAILURES:
                user.locked_until = at + dt.timedelta(minutes=LOCK_MINUTES)
                user.failed_attempts = 0
                session.flush()
                audit.record(
                    session,
                    "locked",
                    "user",
                    user.username,
                    {"locked_until": user.locked_until},
                    entity_id=user.id,
                )
        else:
            if hasher().check_needs_rehash(user.password_hash):
                user.password_hash = hasher().hash(password)
            user.failed_attempts, user.locked_until, user.last_login = 0, None, at
            actor = Actor(user.username, AccountRole(user.role))
    if actor is None:
        raise PermissionDeniedError(
            _(
                "Wrong user name or password. After {n} failed attempts in a row, an account waits "
                "{minutes} minutes."
            ).format(n=MAX_FAILURES, minutes=LOCK_MINUTES)
        )
    return actor


def single_user_actor(db: Database) -> Actor | None:
    """Who works without signing in when the administrator chose single-user mode, else None."""
    if not single_user_mode(db):
        return None
    with db.reading() as session:
        user = session.execute(single_user_statements()[1]).first()
        return Actor(user.username, AccountRole(user.role)) if user else None


def _verify(hashed: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return hasher().verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


class UserService(Service):
    """Managing accounts: for administrators only (enforced here, not just in the GUI)."""

    def list(self) -> list[UserDTO]:
        self._require_admin()
        with self.db.reading() as session:
            return [_dto(u) for u in session.scalars(select(UserAccount).order_by(UserAccount.username))]

    def add(self, username: str, password: str, role: str, full_name: str | None = None) -> UserDTO:
        self._require_admin()
        name = _username(username)
        _check_role(role)
        _check_password(password)
        with self._write() as session:
            if session.scalar(select(UserAccount.id).where(UserAccount.username == name)):
                raise ConflictError(_("The user {name} already exists.").format(name=name), "username")
            user = UserAccount(
                username=name,
                full_name=full_name,
                role=role,
                password_hash=hasher().hash(password),
                created_at=now(),
            )
            session.add(user)
            session.flush()
            return _dto(user)

    def set_role(self, username: str, role: str, active: bool = True) -> UserDTO:
        self._require_admin()
        _check_role(role)
        with self._write() as session:
            user = self._get(session, username)
            if user.role == "admin" and (role != "admin" or not active):
                others = session.scalar(
                    select(func.count()).where(
                        UserAccount.role == "admin", UserAccount.active.is_(True), UserAccount.id != user.id
                    )
                )
                if not others:
                    raise ConflictError(_("There must remain at least one active administrator."), "role")
            user.role, user.active = role, active
            session.flush()
            return _dto(user)

    def set_password(self, username: str, password: str) -> None:
        """An administrator sets anyone's password; any user may change their own."""
        if username != self.actor.username:
            self._require_admin()
        _check_password(password)
        with self.db.transaction(actor=self.actor.username) as session:
            user = self._get(session, username)
            user.password_hash = hasher().hash(password)
            user.failed_attempts, user.locked_until = 0, None

    def set_single_user_mode(self, enabled: bool) -> None:
        """Skip the sign-in on a lone laptop, as the administrator explicitly chose."""
        self._require_admin()
        with self._write() as session:
            admin = session.scalars(
                select(UserAccount.id).where(UserAccount.role == "admin", UserAccount.active.is_(True))
            ).first()
            if enabled and admin is None:
                raise ValidationError(
                    _("Create the administrator's account first: single-user mode works as that account."),
                    "single_user",
                )
            row = session.get(Setting, SINGLE_USER_KEY)
            if row is None:
                session.add(Setting(key=SINGLE_USER_KEY, value="1" if enabled else "0"))
            else:
                row.value = "1" if enabled else "0"

    @staticmethod
    def _get(session: Session, username: str) -> UserAccount:
        user = session.scalars(
            select(UserAccount).where(UserAccount.username == username.strip().lower())
        ).one_or_none()
        if user is None:
            raise NotFoundError(_("No user named {name}.").format(name=username))
        return user
