namespace Edge.Agent.Storage;

/// <summary>
/// Initialises the bundled native SQLite explicitly. Microsoft.Data.Sqlite finds the bundle by reflection, which
/// trimming and Native AOT can remove; calling it directly keeps the published agent working.
/// </summary>
internal static class SqliteNative
{
    private static int _initialized;

    public static void EnsureInitialized()
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 0)
        {
            SQLitePCL.Batteries_V2.Init();
        }
    }
}
