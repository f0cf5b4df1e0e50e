using System.Net;
using System.Net.Sockets;

namespace DecentralizedKD.TestSupport;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago: for child processes that must be told their port up front.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
