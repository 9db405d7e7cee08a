"""A labgrid serial resource as the byte stream rtvirt's protocol runs on."""

from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.errors import UsageError

from rtvirt.transports.url_stream import UrlSerialStream

URL_SCHEMES = {"rfc2217": "rfc2217", "raw": "socket"}
URL_OPTIONS = {"rfc2217": "?ign_set_control"}  # ser2net does not take modem control lines


def stream_for(resource):
    """A local port (RawSerialPort, USBSerialPort) opened directly; an exported one
    (NetworkSerialPort) through its serial server."""
    from labgrid.resource import NetworkSerialPort, SerialPort

    if isinstance(resource, NetworkSerialPort):
        scheme = URL_SCHEMES.get(resource.protocol)
        if scheme is None:
            raise UsageError(f"labgrid resource {resource.name}: protocol "
                             f"{resource.protocol!r} is not one of {', '.join(URL_SCHEMES)}")
        return UrlSerialStream(f"{scheme}://{resource.host}:{resource.port}"
                               f"{URL_OPTIONS.get(resource.protocol, '')}", resource.speed)
    if isinstance(resource, SerialPort):
        return SerialStream(resource.port, resource.speed)
    raise UsageError(f"labgrid resource {resource.name} is not a serial port")


def serial_resource(target):
    """The first serial resource of a labgrid target, exported or local."""
    from labgrid.exceptions import NoResourceFoundError
    from labgrid.resource import NetworkSerialPort, SerialPort

    for kind in (NetworkSerialPort, SerialPort):
        try:
            return target.get_resource(kind)
        except NoResourceFoundError:
            continue
    raise UsageError(f"labgrid target {target.name} has no serial port resource "
                     "(RawSerialPort, USBSerialPort or NetworkSerialPort)")
