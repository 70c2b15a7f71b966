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
}
