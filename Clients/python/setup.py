"""Generates folio_client/_gen from ../../Protos (protoc) before setuptools looks at the package.

At import, not only in build_py: pip asks for the package's metadata first (egg_info), and
setuptools refuses a listed package directory that does not exist yet (a fresh checkout).
"""
import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_protos  # noqa: E402

gen_protos.generate()


class BuildWithProtos(build_py):
    def run(self):
        gen_protos.generate()
        super().run()


setup(cmdclass={"build_py": BuildWithProtos})
