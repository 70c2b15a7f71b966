namespace Edge.Fleet.Storage;

/// <summary>Where edge-fleet keeps its state.</summary>
internal enum StoreKind
{
    /// <summary>One SQLite file (the default; nothing to set up).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database, shared by several edge-fleet instances.</summary>
    Postgres,
}
