"""The suffixes of a training document's ``source`` that say what it is:
native English, a simulated copy of it that the main stages see, a simulated
copy only the spin member sees, or an Apertium round trip. Every
module that writes or reads a source uses these."""

HUMAN = ":human"
SIMULATED = ":simulated"
SPUN = ":spun"
ROUNDTRIP = ":roundtrip"
