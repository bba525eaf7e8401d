"""Generates folio_client/_gen from ../../Protos (protoc) before setuptools builds the package."""
from setuptools import setup
from setuptools.command.build_py import build_py

import gen_protos


class BuildWithProtos(build_py):
    def run(self):
        gen_protos.generate()
        super().run()


setup(cmdclass={"build_py": BuildWithProtos})
