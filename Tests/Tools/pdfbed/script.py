"""Simplified -> Traditional conversion of a page through the opencc CLI, done badly on purpose.

Real Traditional e-paper pages keep Simplified left-overs (a byline role, a paragraph, a run
of words the converter missed), so a converted page leaves some text Simplified.
"""
import subprocess


def opencc(config, strings):
    if not strings:
        return []
    out = subprocess.run(['opencc', '-c', config], input='\n'.join(strings), text=True,
                         capture_output=True, check=True).stdout
    res = out.split('\n')[:len(strings)]
    assert len(res) == len(strings)
    return res


class Converter:
    """script is 'simplified', 's2t' or 's2tw'."""

    def __init__(self, script, rng):
        self.script = script
        self.rng = rng
        self.memo = {}

    @property
    def converting(self):
        return self.script != 'simplified'

    def _convert(self, s):
        if s not in self.memo:
            self.memo[s] = opencc(self.script + '.json', [s])[0]
        return self.memo[s]

    def text(self, s):
        if not self.converting or not s:
            return s
        r = self.rng.random()
        if r < 0.12:
            return s  # a paragraph the converter never saw
        t = self._convert(s)
        if r < 0.35 and len(t) == len(s) and len(s) > 20:
            # a run of words left Simplified
            a = self.rng.randrange(0, len(s) - 8)
            b = a + self.rng.randint(4, 8)
            t = t[:a] + s[a:b] + t[b:]
        return t

    def role(self, s):
        """Byline roles stay Simplified half of the time (as 本报记者 on the seed page)."""
        if not self.converting or not s or self.rng.random() < 0.5:
            return s
        return self._convert(s)

    def prime(self, strings):
        """Convert many strings in one opencc call (the per-string call is slow)."""
        if not self.converting:
            return
        todo = sorted({s for s in strings if s and '\n' not in s and s not in self.memo})
        for s, t in zip(todo, opencc(self.script + '.json', todo)):
            self.memo[s] = t
