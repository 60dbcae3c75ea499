"""`parentbot staff ...`: inbox accounts (add, disable a leaver, casework for a manager)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def read_password(args: argparse.Namespace) -> str | None:
    """From --password-file, from stdin when it is not a terminal (a script, a secrets pipe: one line), or
    prompted twice at a terminal. None when the two prompts differ."""
    import getpass

    if args.password_file:
        return Path(args.password_file).read_text(encoding="utf-8").rstrip("\r\n")
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(f"Password for {args.username}: ")
    return password if getpass.getpass("Again: ") == password else None


def cmd_staff_add(args: argparse.Namespace) -> int:
    from bot.care.staff import StaffError, add_user

    password = read_password(args)
    if password is None:
        print("parentbot staff add: the passwords differ", file=sys.stderr)
        return 1
    try:
        user_id = add_user(args.username, password, args.role, casework=args.casework)
    except StaffError as err:
        print(f"parentbot staff add: {err}", file=sys.stderr)
        return 1
    print(f"parentbot staff add: {args.username} ({args.role}) created, id {user_id}")
    return 0


def cmd_staff_disable(args: argparse.Namespace) -> int:
    from bot.care.staff import StaffError, disable

    try:
        ended = disable(args.username)
    except StaffError as err:
        print(f"parentbot staff disable: {err}", file=sys.stderr)
        return 1
    print(f"parentbot staff disable: {args.username} can no longer sign in; {ended} session(s) ended")
    return 0


def cmd_staff_casework(args: argparse.Namespace) -> int:
    from bot.care.staff import StaffError, set_casework

    try:
        set_casework(args.username, args.allow == "on")
    except StaffError as err:
        print(f"parentbot staff casework: {err}", file=sys.stderr)
        return 1
    print(f"parentbot staff casework: {args.username} {args.allow}")
    return 0


def register(sub: Any) -> Any:
    """The `staff` command's account subcommands; returns its subparsers (bot/cli.py adds `serve`, the one
    command that imports the staff app: bot/ reaches into staff/ only from bot/cli.py)."""
    p = sub.add_parser("staff", help="health visitor inbox accounts")
    staff_sub = p.add_subparsers(dest="staff_command", required=True)
    p = staff_sub.add_parser("add", help="create an inbox account (password prompted, or one line on stdin)")
    p.add_argument("username")
    p.add_argument("--role", choices=["health_visitor", "manager"], default="health_visitor")
    p.add_argument("--password-file", help="read the password from this file instead of prompting")
    p.add_argument("--casework", action="store_true", help="a manager who may claim, reply to and close cases")
    p.set_defaults(func=cmd_staff_add)
    p = staff_sub.add_parser("disable", help="a leaver: no more sign-ins, every session ended now")
    p.add_argument("username")
    p.set_defaults(func=cmd_staff_disable)
    p = staff_sub.add_parser("casework", help="let a manager claim, reply to and close cases (on) or not (off)")
    p.add_argument("username")
    p.add_argument("allow", choices=["on", "off"])
    p.set_defaults(func=cmd_staff_casework)
    return staff_sub
