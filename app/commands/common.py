"""What several commands share: loading plug-ins and a profile with user-facing errors."""

from __future__ import annotations

import sys
from pathlib import Path

from techcheck.checks import registry
from techcheck.checks.model import ExitCode
from techcheck.checks.profile import Profile, ProfileError, load_profile


class CommandError(Exception):
    """Stops a command with a message and exit status 3."""


def split_ids(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def load(profile_spec: str) -> tuple[list[registry.Plugin], Profile]:
    plugins = registry.discover()
    try:
        profile = load_profile(profile_spec, registry.limit_schemas(plugins))
    except ProfileError as exc:
        raise CommandError(f"cannot use the profile: {exc}") from None
    if profile.brand is not None:  # as strict as an invitation's brand: refused whole
        from techcheck.app import brand

        try:  # the report then carries it in the checked, normal form (lower-case colour…)
            profile.brand = brand.from_dict(profile.brand,
                                            f"{Path(profile.path).name}: [brand]").to_dict()
        except brand.BrandError as exc:
            raise CommandError(f"cannot use the profile: {exc}") from None
    return plugins, profile


def fail(message: str) -> int:
    print(f"techcheck: {message}", file=sys.stderr)
    return ExitCode.COULD_NOT_RUN
