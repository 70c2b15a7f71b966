using Edge.Agent.LocalHttp;

namespace Edge.Agent.Tests.LocalHttp;

public sealed class BearerTokenTests
{
    [Theory]
    [InlineData("Bearer 0123456789abcdef", true)]
    [InlineData("bearer 0123456789abcdef", true)]
    [InlineData("Bearer 0123456789abcdeF", false)]
    [InlineData("Bearer 0123456789abcde", false)]
    [InlineData("Bearer 0123456789abcdef0", false)]
    [InlineData("Basic 0123456789abcdef", false)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("Bearer ", false)]
    [InlineData(null, false)]
    public void Accepts_AuthorizationHeader_OnlyTheExactToken(string? header, bool accepted) =>
        Assert.Equal(accepted, new BearerToken("0123456789abcdef").Accepts(header));
}
