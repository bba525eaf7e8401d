#!/usr/bin/env python3
"""Mends what generate-manual writes for foliod, a command without subcommands: the SYNOPSIS's
`subcommand` and the `help` entry (`foliod help` is only --help's other spelling) go, and EXIT
STATUS lists the codes the DESCRIPTION gives instead of `.Ex -std` ("exits >0 if an error occurs").

    scripts/fix-foliod-man.py docs/man/foliod.8      (gen-man.sh runs it)
"""
import re
import sys

EXIT_STATUS = """.Sh "EXIT STATUS"
.Bl -tag -width 4n
.It 0
after a clean stop (SIGTERM or SIGINT).
.It 2
socket problems: path too long, another foliod listening, not a socket, bind or permission failure, a socket from socket activation that is not one listening Unix socket.
.It 3
data directory unusable: unreadable, not a directory, or locked by another foliod that serves it.
.It 64
bad flags or config values (also a --max-connections the open-file limit cannot hold).
.El
"""

path = sys.argv[1]
text = open(path, encoding='utf-8').read()
text = text.replace('.Nm\n.Ar subcommand\n', '.Nm\n')
text = re.sub(r'\.It Em help\n.*?\.El\n', '', text, flags=re.S)
text = re.sub(r'\.Sh "EXIT STATUS"\n\.Ex -std\n?', lambda _: EXIT_STATUS, text)
open(path, 'w', encoding='utf-8').write(text)
