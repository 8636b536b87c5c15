using CleanBackend.Domain.Webhooks;

namespace CleanBackend.Domain.UnitTests.Webhooks;

public class WebhookSignatureTests
{
    // Computed independently: printf '1767225600.{"id":"1"}' | openssl dgst -sha256 -hmac 'whsec_test'
    private const string Expected = "c9c43053c587d9a132baf3e87a7f5cd6b5e5e5acf4ecb038f8c897644f666304";

    [Fact]
    public void Header_IsTimestampAndHexHmacOfTimestampDotBody_KeyedWithTheSecretsUtf8Bytes()
    {
        var header = WebhookSignature.Header("whsec_test", 1767225600, """{"id":"1"}""");

        header.ShouldBe($"t=1767225600,v1={Expected}");
    }

    [Fact]
    public void Compute_ChangesWithTheBodyTheTimestampAndTheSecret()
    {
        var signature = WebhookSignature.Compute("whsec_a", 100, "body");

        signature.Length.ShouldBe(64);
        signature.ShouldBe(signature.ToLowerInvariant());
        WebhookSignature.Compute("whsec_a", 100, "body ").ShouldNotBe(signature);
        WebhookSignature.Compute("whsec_a", 101, "body").ShouldNotBe(signature);
        WebhookSignature.Compute("whsec_b", 100, "body").ShouldNotBe(signature);
        WebhookSignature.Compute("whsec_a", 100, "body").ShouldBe(signature);
    }

    [Fact]
    public void NewSecret_IsWhsecAnd256RandomBits()
    {
        var one = WebhookSecret.New();
        var two = WebhookSecret.New();

        one.ShouldStartWith("whsec_");
        one.Length.ShouldBe("whsec_".Length + 43);
        one.ShouldNotBe(two);
        System.Buffers.Text.Base64Url.DecodeFromChars(one.AsSpan("whsec_".Length)).Length.ShouldBe(32);
    }
}
