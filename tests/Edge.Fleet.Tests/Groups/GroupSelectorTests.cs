using Edge.Protocol;
using Edge.Fleet.Groups;
using Edge.Fleet.Inventory;

namespace Edge.Fleet.Tests.Groups;

public class GroupSelectorTests
{
    private static DeviceRecord Device(string id, string board, string? site = null) => new()
    {
        Fleet = "f1",
        Device = id,
        Online = true,
        Board = board,
        Models = [new ModelFact("yolox", "3")],
        Labels = site is null ? new Dictionary<string, string>() : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["site"] = site },
    };

    [Fact]
    public void Matches_BoardSlugAndLabel_MatchesOnlyDevicesWithBoth()
    {
        var selector = GroupSelector.Parse("board=jetson-orin-nano,site=lobby");

        Assert.True(selector.Matches(Device("a", "NVIDIA Jetson Orin Nano Developer Kit", "lobby")));
        Assert.False(selector.Matches(Device("b", "NVIDIA Jetson Orin Nano Developer Kit", "dock")));
        Assert.False(selector.Matches(Device("c", "Raspberry Pi 5 Model B Rev 1.0", "lobby")));
        Assert.False(selector.Matches(Device("d", "NVIDIA Jetson Orin NX", "lobby")));
    }

    [Fact]
    public void Matches_AlternativesNegationWildcardAndModel_AreHonoured()
    {
        var pi = Device("pi-7", "Raspberry Pi 5 Model B Rev 1.0", "dock");

        Assert.True(GroupSelector.Parse("site=lobby|dock").Matches(pi));
        Assert.False(GroupSelector.Parse("site!=dock").Matches(pi));
        Assert.True(GroupSelector.Parse("device=pi-*").Matches(pi));
        Assert.True(GroupSelector.Parse("model=yolox@3").Matches(pi));
        Assert.False(GroupSelector.Parse("model=yolox@4").Matches(pi));
    }

    [Fact]
    public void Resolve_ListedDeviceNeverSeen_IsIncludedAsOffline()
    {
        var group = new GroupDefinition("g", "site=lobby", ["ghost"], DateTimeOffset.UnixEpoch);

        var members = GroupStore.Resolve(group, [Device("a", "x", "lobby"), Device("b", "x", "dock")], "f1");

        Assert.Equal(["a", "ghost"], members.Select(m => m.Device));
        Assert.False(members[1].Online);
    }
}
