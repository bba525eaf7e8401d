"""Generates folio_client/_gen from ../../Protos (protoc) before setuptools builds the package."""
import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_protos  # noqa: E402


class BuildWithProtos(build_py):
    def run(self):
        gen_protos.generate()
        super().run()


setup(cmdclass={"build_py": BuildWithProtos})
