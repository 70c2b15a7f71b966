using System.CommandLine;
using Edge.Fleet.Provisioning;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet cert check DEVICE.crt [--acl]</c>: a provisioning check before a device certificate is issued or
/// installed. Exit 0 when its CN is <c>{fleet}/{device}</c> (and matches <c>--fleet</c> when given), printing the
/// identity (and with <c>--acl</c> the group lines for deploy/mosquitto/acl.conf); exit 2 with one line otherwise.
/// </summary>
internal static class CertCommand
{
    public static Command Create(CliContext context)
    {
        var certificate = new Argument<string>("certificate") { Description = "The device certificate (PEM or DER)." };
        var acl = new Option<bool>("--acl") { Description = "Also print the lines to append to the broker ACL (group jobs of the device's fleet)." };
        var check = new Command("check", "Refuses a device certificate whose CN is not {fleet}/{device}.") { certificate, acl };
        check.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(certificate)!;
            DeviceIdentity identity;
            try
            {
                identity = DeviceIdentity.FromCertificateFile(path);
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.Message);
            }

            if (parse.GetValue(FleetCommandOptions.Fleet) is { } fleet && fleet != identity.Fleet)
            {
                throw new CliUsageException($"'{path}': CN '{identity.Fleet}/{identity.Device}' belongs to fleet '{identity.Fleet}', not to --fleet '{fleet}'.");
            }

            await context.Output.WriteLineAsync($"ok: fleet {identity.Fleet}, device {identity.Device}");
            if (parse.GetValue(acl))
            {
                foreach (var line in identity.AclLines())
                {
                    await context.Output.WriteLineAsync(line);
                }
            }

            return ExitCodes.Success;
        });
        return new Command("cert", "Provisioning checks for device certificates.") { check };
    }
}
