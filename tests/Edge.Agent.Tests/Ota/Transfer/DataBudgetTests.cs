using Edge.Agent.Ota.Transfer;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Agent.Tests.Ota.Transfer;

public sealed class DataBudgetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-ota-budget-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TryConsume_OverTheDailyLimit_RefusesUntilMidnightUtcAndSurvivesRestart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.Zero));
        var budget = new DataBudget(1000, _folder, time);
        Assert.True(budget.TryConsume(700, out _));
        await budget.SaveAsync(CancellationToken.None);

        var restarted = new DataBudget(1000, _folder, time);
        Assert.False(restarted.TryConsume(400, out var untilReset));
        Assert.Equal(TimeSpan.FromHours(6), untilReset);
        Assert.Equal(700, restarted.UsedToday);

        time.Advance(TimeSpan.FromHours(6));
        Assert.True(restarted.TryConsume(400, out _));
        Assert.Equal(400, restarted.UsedToday);
    }

    [Fact]
    public async Task TryConsume_CountNearLongMaxValueOnDisk_RefusesInsteadOfWrapping()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.Zero));
        var unlimited = new DataBudget(0, _folder, time);
        Assert.True(unlimited.TryConsume(long.MaxValue - 10, out _));
        Assert.True(unlimited.TryConsume(100, out _));
        Assert.Equal(long.MaxValue, unlimited.UsedToday);
        await unlimited.SaveAsync(CancellationToken.None);

        var limited = new DataBudget(1000, _folder, time);

        Assert.False(limited.TryConsume(400, out var untilReset));
        Assert.Equal(TimeSpan.FromHours(6), untilReset);
    }
}
