using System.Diagnostics;

namespace Edge.Agent.Tests.Support;

/// <summary>Writes Mosquitto password files with the real <c>mosquitto_passwd</c>, for brokers started with an ACL.</summary>
internal static class MosquittoPasswords
{
    /// <summary>Adds <paramref name="user"/> to <paramref name="file"/>, creating the file when <paramref name="create"/>.</summary>
    public static void Add(string file, string user, string password, bool create)
    {
        var start = new ProcessStartInfo("mosquitto_passwd") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-b");
        if (create)
        {
            start.ArgumentList.Add("-c");
        }

        start.ArgumentList.Add(file);
        start.ArgumentList.Add(user);
        start.ArgumentList.Add(password);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"mosquitto_passwd failed: {process.StandardError.ReadToEnd()}");
    }
}
