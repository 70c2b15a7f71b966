using System.Text.Json;
using Edge.Agent.Mqtt;
using Edge.Agent.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Agent.Commands;

/// <summary>
/// Runs command requests from the <see cref="CommandInbox"/> one at a time and publishes a response for each,
/// including every failure: oversized payload, malformed JSON, unsupported schema, unknown command, invalid
/// arguments, handler error, and <c>busy</c> for a request that found the queue full.
/// The response goes to the MQTT 5 response topic with the correlation data echoed; MQTT 3.1.1 requesters put
/// <c>correlationId</c> and <c>replyTo</c> in the JSON payload instead (docs/protocol.md).
/// </summary>
internal sealed partial class CommandDispatcher
{
    private readonly Dictionary<string, IAgentCommand> _commands;
    private readonly CommandInbox _inbox;
    private readonly MqttConnection _connection;
    private readonly TopicScheme _topics;
    private readonly ILogger<CommandDispatcher> _logger;
    private readonly int _maxPayloadBytes;

    public CommandDispatcher(
        IEnumerable<IAgentCommand> commands,
        CommandInbox inbox,
        MqttConnection connection,
        TopicScheme topics,
        IOptions<EdgeAgentOptions> options,
        ILogger<CommandDispatcher> logger)
    {
        _commands = commands.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _inbox = inbox;
        _connection = connection;
        _topics = topics;
        _logger = logger;
        _maxPayloadBytes = options.Value.Commands.MaxPayloadBytes;
    }

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(RunCommandsAsync(cancellationToken), AnswerBusyAsync(cancellationToken));

    private async Task RunCommandsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync(cancellationToken))
            {
                if (await HandleAsync(message, cancellationToken) is { } outcome)
                {
                    await RespondAsync(message.ResponseTopic, message.CorrelationData, outcome, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Answers every request that found the command queue full with <c>busy</c>, so none goes unanswered.</summary>
    private async Task AnswerBusyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var request in _inbox.BusyReader.ReadAllAsync(cancellationToken))
            {
                if (_topics.CommandName(request.Topic) is { } name)
                {
                    var busy = Failure(name, request.CorrelationId, CommandErrorCodes.Busy,
                        $"The agent is busy: {CommandInbox.Capacity} commands are waiting and commands run one at a time; this one was not run. Try again later.");
                    await RespondAsync(request.ResponseTopic, request.CorrelationData, (busy, request.ReplyTo), cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Produces the response to one request; null when the message is not a request to this device.</summary>
    internal async Task<(CommandResponse Response, string? ReplyTo)?> HandleAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var name = _topics.CommandName(message.Topic);
        if (name is null)
        {
            return null;
        }

        var payload = message.Payload;
        if (payload.Length > _maxPayloadBytes)
        {
            return (Failure(name, null, CommandErrorCodes.PayloadTooLarge,
                $"The request payload is {payload.Length} bytes; the limit is {_maxPayloadBytes} bytes."), null);
        }

        string? correlationId = null, replyTo = null;
        JsonElement arguments = default;
        JsonDocument? document = null;
        try
        {
            if (payload.Length > 0)
            {
                try
                {
                    document = JsonDocument.Parse(payload);
                }
                catch (JsonException e)
                {
                    return (Failure(name, null, CommandErrorCodes.MalformedPayload, $"The request payload is not valid JSON: {e.Message}"), null);
                }

                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return (Failure(name, null, CommandErrorCodes.MalformedPayload, $"The request payload must be a JSON object; got {root.ValueKind}."), null);
                }

                correlationId = OptionalString(root, "correlationId");
                replyTo = OptionalString(root, "replyTo");
                if (root.TryGetProperty("schema", out var schema) && !(schema.ValueKind == JsonValueKind.String && schema.GetString() == ProtocolSchemas.CommandRequest))
                {
                    return (Failure(name, correlationId, CommandErrorCodes.UnsupportedSchema,
                        $"The request's schema is {schema.GetRawText()}; this agent speaks '{ProtocolSchemas.CommandRequest}' (or a request without 'schema')."), replyTo);
                }

                if (root.TryGetProperty("args", out var args))
                {
                    if (args.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                    {
                        return (Failure(name, correlationId, CommandErrorCodes.MalformedPayload, $"'args' must be a JSON object; got {args.ValueKind}."), replyTo);
                    }

                    arguments = args;
                }
            }

            if (!_commands.TryGetValue(name, out var command))
            {
                return (Failure(name, correlationId, CommandErrorCodes.UnknownCommand,
                    $"Unknown command '{name}'. Known commands: {string.Join(", ", _commands.Keys.Order(StringComparer.Ordinal))}."), replyTo);
            }

            try
            {
                var result = await command.ExecuteAsync(arguments, cancellationToken);
                LogCommandCompleted(_logger, name);
                return (new CommandResponse { CorrelationId = correlationId, Command = name, Ok = true, Result = result }, replyTo);
            }
            catch (CommandArgumentException e)
            {
                return (Failure(name, correlationId, CommandErrorCodes.InvalidArguments, e.Message), replyTo);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A failing handler becomes an error response; the agent keeps running.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogCommandFailed(_logger, name, e);
                return (Failure(name, correlationId, CommandErrorCodes.Internal, $"{e.GetType().Name}: {e.Message}"), replyTo);
            }
        }
        catch (InvalidOperationException e)
        {
            // Reading a property of the wrong JSON kind ends up here; report it as a malformed request.
            return (Failure(name, correlationId, CommandErrorCodes.MalformedPayload, e.Message), replyTo);
        }
        finally
        {
            document?.Dispose();
        }
    }

    private async Task RespondAsync(string? responseTopic, byte[]? correlationData, (CommandResponse Response, string? ReplyTo) outcome, CancellationToken cancellationToken)
    {
        var (response, replyTo) = outcome;
        if (!response.Ok)
        {
            LogCommandRejected(_logger, response.Command, response.Error!.Code, response.Error.Message);
        }

        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.ResponseTopicFor(responseTopic ?? replyTo))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(response, AgentJsonContext.Default.CommandResponse))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_connection.ProtocolVersion == MqttProtocolVersion.V500)
        {
            builder.WithContentType("application/json");
            if (correlationData is { Length: > 0 } correlation)
            {
                builder.WithCorrelationData(correlation);
            }
        }

        try
        {
            await _connection.PublishAsync(builder.Build(), cancellationToken);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MqttPublishRefusedException or InvalidOperationException)
        {
            LogResponseFailed(_logger, response.Command, e.Message);
        }
    }

    private static CommandResponse Failure(string name, string? correlationId, string code, string message) =>
        new() { CorrelationId = correlationId, Command = name, Ok = false, Error = new CommandError(code, message) };

    /// <summary>A string property of a request, or null when it is missing or not a string (shared with <see cref="BusyRequest"/>).</summary>
    internal static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Command} completed")]
    private static partial void LogCommandCompleted(ILogger logger, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Command} rejected: {Code}: {Error}")]
    private static partial void LogCommandRejected(ILogger logger, string command, string code, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {Command} failed")]
    private static partial void LogCommandFailed(ILogger logger, string command, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the response to {Command}: {Error}")]
    private static partial void LogResponseFailed(ILogger logger, string command, string error);
}
