"""The one exception every app's services raise when a request breaks a rule."""


class ServiceError(Exception):
    """A rule of the register was broken; the message is for the user (Swedish)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
