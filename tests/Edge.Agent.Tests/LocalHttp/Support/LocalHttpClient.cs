using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Edge.Agent.Tests.LocalHttp.Support;

/// <summary>An HTTP client for the agent's local server; every answer is read as JSON (the server answers nothing else).</summary>
internal sealed class LocalHttpClient : IDisposable
{
    private readonly HttpClient _client;

    public LocalHttpClient(string baseAddress, string? token = null)
    {
        _client = new HttpClient { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<(int Status, JsonElement Body)> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<(int Status, JsonElement Body)> PostAsync(string path, string json) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            JsonElement body;
            try
            {
                body = JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode} with a body that is not JSON: '{text}'", e);
            }

            return ((int)response.StatusCode, body);
        }
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="status"/>; fails with the last answer.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string path, int status, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        (int Status, JsonElement Body) last = default;
        while (waited.Elapsed < timeout)
        {
            last = await GetAsync(path);
            if (last.Status == status)
            {
                return last.Body;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"GET {path} did not answer {status} within {timeout}; last answer {last.Status}: {last.Body}");
    }

    public void Dispose() => _client.Dispose();
}
