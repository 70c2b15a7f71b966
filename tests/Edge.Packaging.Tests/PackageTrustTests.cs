using System.Security.Cryptography;

namespace Edge.Packaging.Tests;

public sealed class PackageTrustTests
{
    [Fact]
    public void FromPem_PublicKey_KeyIdIsSha256PrefixOfSpki()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var trust = PackageTrust.FromPem(key.ExportSubjectPublicKeyInfoPem());

        var expected = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..32];
        Assert.Equal(expected, trust.KeyIds.Single());
    }

    [Fact]
    public void FromPem_PrivateKey_ThrowsArgumentException()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<ArgumentException>(() => PackageTrust.FromPem(key.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_P384Key_ThrowsNamingTheCurve()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<ArgumentException>(() => PackageTrust.FromPem(key.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("P-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_RsaKey_ThrowsArgumentException()
    {
        using var rsa = RSA.Create(2048);

        Assert.Throws<ArgumentException>(() => PackageTrust.FromPem(rsa.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void FromPem_NotPem_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => PackageTrust.FromPem("hello"));
    }
}
