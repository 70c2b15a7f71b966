using Edge.Agent.Ota.Slots;

namespace Edge.Agent.Tests.Ota.Slots;

public sealed class SlotStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-slots-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void EngineCachePath_EachSlot_BesideTheSlotsNotInside()
    {
        var store = new SlotStore(_folder);

        Assert.Equal(Path.Combine(_folder, "engines", "a"), store.EngineCachePath(SlotStore.SlotA));
        Assert.Equal(Path.Combine(_folder, "engines", "b"), store.EngineCachePath(SlotStore.SlotB));
        Assert.False(store.EngineCachePath(SlotStore.SlotB).StartsWith(store.SlotsRoot, StringComparison.Ordinal));
    }

    [Fact]
    public void Clear_SlotWithBuiltEngines_DeletesItsEnginesAndKeepsTheOtherSlots()
    {
        var store = new SlotStore(_folder);
        foreach (var slot in new[] { SlotStore.SlotA, SlotStore.SlotB })
        {
            Directory.CreateDirectory(store.SlotPath(slot));
            Directory.CreateDirectory(Path.Combine(store.EngineCachePath(slot), "sm87-trt10.3-abc"));
            File.WriteAllBytes(Path.Combine(store.EngineCachePath(slot), "sm87-trt10.3-abc", "model.engine"), [1, 2, 3]);
        }

        store.Clear(SlotStore.SlotB);

        Assert.False(Directory.Exists(store.SlotPath(SlotStore.SlotB)));
        Assert.False(Directory.Exists(store.EngineCachePath(SlotStore.SlotB)));
        Assert.True(File.Exists(Path.Combine(store.EngineCachePath(SlotStore.SlotA), "sm87-trt10.3-abc", "model.engine")));
    }
}
