"""``techcheck invite``: a recruiter writes the invitation file candidates open in TechCheck."""

from __future__ import annotations

import argparse
import sys

from techcheck.app import invitation
from techcheck.app.atomicfile import check_writable, describe_write_error, write_atomic
from techcheck.app.commands.common import fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "invite", help="write an invitation file for a candidate (for recruiters)",
        description="Write the invitation file a candidate opens in TechCheck before the "
        "interview. The format is described in docs/invitation-format.md.",
        epilog="Example: techcheck invite --profile teams --when 2026-12-01T10:00+01:00 "
        "--contact 'Anna Berg, anna.berg@example.com' --company 'Example AB' -o invite.toml")
    p.add_argument("--profile", required=True, choices=invitation.builtin_profiles(),
                   help="the platform the interview uses")
    p.add_argument("--when", required=True, metavar="DATE-TIME",
                   help="interview date and time with its zone, e.g. 2026-12-01T10:00+01:00")
    p.add_argument("--contact", required=True, metavar="TEXT",
                   help="who the candidate contacts about technical problems")
    p.add_argument("--company", default="", metavar="TEXT", help="the company that invites")
    p.add_argument("--position", default="", metavar="TEXT", help="the job the interview is for")
    p.add_argument("--server", default="", metavar="URL",
                   help="the company's own measurement server (http or https)")
    p.add_argument("--stun", default="", metavar="HOST:PORT", help="the company's STUN server")
    p.add_argument("--note", default="", metavar="TEXT", help="a short note to the candidate")
    p.add_argument("--app-min-version", default="", metavar="VERSION",
                   help="the oldest version of the platform's desktop app the interview "
                   "accepts, e.g. 6.3.0 (an older one is a warning)")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="where to write the invitation (use - to print it)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        inv = invitation.create(profile=args.profile, when=args.when, contact=args.contact,
                                company=args.company, position=args.position,
                                server=args.server, stun=args.stun, note=args.note,
                                app_min_version=args.app_min_version)
    except invitation.InvitationError as exc:
        return fail(str(exc))
    data = inv.to_toml()
    for key, value in inv.internal_servers:  # the recruiter should know what candidates see
        print(f"techcheck: note: {key} {value} is not on the internet; each candidate will be "
              "asked to confirm it (docs/invitation-format.md)", file=sys.stderr)
    if args.output == "-":
        sys.stdout.write(data)
        return 0
    problem = check_writable(args.output)
    if problem:
        return fail(problem)
    try:
        write_atomic(args.output, data)
    except OSError as exc:
        return fail(describe_write_error(args.output, exc))
    print(f"Wrote {args.output}: send it to the candidate.", file=sys.stderr)
    return 0
