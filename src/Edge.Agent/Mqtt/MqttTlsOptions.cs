namespace Edge.Agent;

/// <summary>TLS with a pinned certificate authority and optional client certificate (mTLS).</summary>
public sealed class MqttTlsOptions
{
    /// <summary>Use TLS. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>PEM file of the CA that signed the broker certificate; the only trusted root (pinned). Required with TLS.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate for mTLS; needs <see cref="KeyFile"/>.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Name expected in the broker certificate; defaults to <see cref="MqttOptions.Host"/>.</summary>
    public string? ServerName { get; set; }
}
