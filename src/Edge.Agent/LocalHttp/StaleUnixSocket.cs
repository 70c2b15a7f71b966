using System.Net.Sockets;

namespace Edge.Agent.LocalHttp;

/// <summary>
/// An agent killed with SIGKILL (or a power cut) leaves its Unix socket file behind, and binding the path again fails
/// with "address already in use": under systemd the agent would then fail at every restart. A socket file that
/// nobody listens on is removed before binding; a path where a process listens, or that holds a regular file, is
/// left alone, and the bind reports it.
/// </summary>
internal static class StaleUnixSocket
{
    /// <summary>Removes <paramref name="path"/> if it is a socket file no process listens on; true if it did.</summary>
    public static bool RemoveIfStale(string path)
    {
        if (!File.Exists(path) || !IsSocketFile(path))
        {
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return false; // a live server owns it
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path);
            return true;
        }
    }

    /// <summary>open(2) on a socket file fails (ENXIO) where a regular file opens; a file we may not read is not ours to judge.</summary>
    private static bool IsSocketFile(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
