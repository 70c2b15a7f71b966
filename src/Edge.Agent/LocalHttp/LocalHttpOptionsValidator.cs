using System.Globalization;
using Microsoft.Extensions.Options;

namespace Edge.Agent.LocalHttp;

/// <summary>Checks the <c>Http</c> and <c>Health</c> sections; every problem is reported with the agent's other settings at start.</summary>
internal sealed class LocalHttpOptionsValidator : IValidateOptions<EdgeAgentOptions>
{
    /// <summary>The address used when neither <see cref="LocalHttpOptions.Urls"/> nor a Unix socket is set.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8780";

    public const int MinimumTokenLength = 16;

    public const string NotInThisBuild =
        "Http:Enabled is true, but this edge-agent was published without the local HTTP server; publish it with -p:EdgeLocalHttp=true (docs/local-http.md).";

    public ValidateOptionsResult Validate(string? name, EdgeAgentOptions options)
    {
        var errors = new List<string>();
        CheckHealth(errors, options.Health);
        var http = options.Http;
        if (!http.Enabled)
        {
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        if (!LocalHttpFeature.IsSupported)
        {
            errors.Add(NotInThisBuild);
        }

        var anyNonLoopback = false;
        for (var i = 0; i < http.Urls.Count; i++)
        {
            var address = ListenAddress.TryParse(http.Urls[i], out var error);
            if (address is null)
            {
                errors.Add($"Http:Urls:{i} {error}.");
            }
            else
            {
                anyNonLoopback |= !address.IsLoopback;
            }
        }

        if (http.UnixSocketPath is { Length: > 0 } socket && !Path.IsPathFullyQualified(socket))
        {
            errors.Add($"Http:UnixSocketPath '{socket}' must be an absolute path.");
        }

        if (http.BearerToken is { } token && (token.Length < MinimumTokenLength || token.Any(char.IsWhiteSpace)))
        {
            errors.Add($"Http:BearerToken must be at least {MinimumTokenLength} characters without spaces; got {token.Length} characters.");
        }

        if (anyNonLoopback && string.IsNullOrEmpty(http.BearerToken))
        {
            errors.Add("Http:BearerToken is required because Http:Urls listens on a non-loopback address; set a token or listen on 127.0.0.1 or a Unix socket.");
        }

        if (!http.HealthRoutes && !http.InferenceRoutes)
        {
            errors.Add("Http:Enabled is true but both Http:HealthRoutes and Http:InferenceRoutes are false; the server would serve nothing.");
        }

        if (http.InferenceRoutes && !options.Ota.Enabled)
        {
            errors.Add("Http:InferenceRoutes needs Ota:Enabled: the endpoint serves the model OTA activates (Ota:InitialPackage or a job).");
        }

        CheckRange(errors, "Http:MaxRequestBodyBytes", http.MaxRequestBodyBytes, 1024, 1L << 30);
        CheckRange(errors, "Http:RequestsPerSecond", http.RequestsPerSecond, 1, 100_000);
        CheckRange(errors, "Http:MaxConnections", http.MaxConnections, 1, 10_000);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckHealth(List<string> errors, HealthOptions health)
    {
        CheckRange(errors, "Health:OutboxDegradedRecords", health.OutboxDegradedRecords, 1, 100_000_000);
        CheckRange(errors, "Health:OutboxUnhealthyRecords", health.OutboxUnhealthyRecords, 1, 100_000_000);
        if (health.OutboxUnhealthyRecords < health.OutboxDegradedRecords)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Health:OutboxUnhealthyRecords ({health.OutboxUnhealthyRecords}) must not be less than Health:OutboxDegradedRecords ({health.OutboxDegradedRecords})."));
        }

        if (health.OtaJobStuckAfter < TimeSpan.FromMinutes(1) || health.OtaJobStuckAfter > TimeSpan.FromDays(30))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Health:OtaJobStuckAfter must be between 00:01:00 and 30.00:00:00; got {health.OtaJobStuckAfter}."));
        }
    }

    private static void CheckRange(List<string> errors, string name, long value, long minimum, long maximum)
    {
        if (value < minimum || value > maximum)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {minimum} and {maximum}; got {value}."));
        }
    }
}
