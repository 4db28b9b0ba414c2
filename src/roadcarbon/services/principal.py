"""Who is calling, and what their role lets them do."""

from __future__ import annotations

from dataclasses import dataclass

from roadcarbon.db.models import Role
from roadcarbon.services.errors import AuthenticationError, PermissionDeniedError


@dataclass(frozen=True)
class Principal:
    """The caller: anonymous (``user_id`` None) or a signed-in user of one organisation with one role."""

    user_id: int | None = None
    organisation_id: int | None = None
    role: str | None = None
    email: str | None = None

    @property
    def is_anonymous(self) -> bool:
        """True for callers without credentials."""
        return self.user_id is None

    @property
    def can_contribute(self) -> bool:
        """Contributors and every role above may draft and submit change sets."""
        return self.role in (Role.CONTRIBUTOR, Role.REVIEWER, Role.ORG_ADMIN, Role.MAINTAINER)

    @property
    def can_review(self) -> bool:
        """Reviewers and maintainers approve or reject change sets (never their own)."""
        return self.role in (Role.REVIEWER, Role.MAINTAINER)

    @property
    def can_admin_organisation(self) -> bool:
        """Organisation admins manage their organisation's accounts; maintainers any."""
        return self.role in (Role.ORG_ADMIN, Role.MAINTAINER)

    @property
    def is_maintainer(self) -> bool:
        """Maintainers publish releases and manage organisations."""
        return self.role == Role.MAINTAINER

    def in_organisation(self, organisation_id: int | None) -> bool:
        """True when the caller belongs to ``organisation_id``."""
        return organisation_id is not None and self.organisation_id == organisation_id

    def require_user(self) -> int:
        """The user id, or AuthenticationError for anonymous callers."""
        if self.user_id is None:
            raise AuthenticationError("this action needs a signed-in user; send a bearer token")
        return self.user_id

    def require(self, allowed: bool, action: str) -> None:
        """Raise unless ``allowed``: 401 for anonymous callers, 403 for users lacking the role."""
        self.require_user()
        if not allowed:
            raise PermissionDeniedError(f"role {self.role!r} may not {action}")


ANONYMOUS = Principal()
