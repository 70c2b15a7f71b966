namespace Edge.Agent.Ota.Slots;

/// <summary>A file of a slot and its size, checked at boot before the slot's model is loaded.</summary>
internal sealed record SlotFile(string Path, long Size);
