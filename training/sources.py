"""The suffixes of a training document's ``source`` that say what it is:
native English, a simulated copy of it, or an Apertium round trip. Every
module that writes or reads a source uses these."""

HUMAN = ":human"
SIMULATED = ":simulated"
ROUNDTRIP = ":roundtrip"
