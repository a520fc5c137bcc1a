package org.alemcds.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * A CDS client's signing keys, generated in the test (EC P-384 and RSA 2048), and the JWTs it signs, as CDS Hooks
 * §Trusting CDS Clients describes them: header alg, kid, typ JWT; claims iss, aud, exp, iat, jti.
 */
public final class ClientTokens {

    public final String iss;
    public final ECKey ec;
    public final RSAKey rsa;

    private ClientTokens(String iss, String kidPrefix) {
        this.iss = iss;
        try {
            ec = new ECKeyGenerator(Curve.P_384).keyID(kidPrefix + "-ec").keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES384).generate();
            rsa = new RSAKeyGenerator(2048).keyID(kidPrefix + "-rsa").keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS384).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ClientTokens generate(String iss, String kidPrefix) {
        return new ClientTokens(iss, kidPrefix);
    }

    /** The public JWK Set, as the client publishes it. */
    public String publicJwks() {
        return new JWKSet(List.of(ec.toPublicJWK(), rsa.toPublicJWK())).toString();
    }

    public Path writePublicJwks(Path file) {
        try {
            return Files.writeString(file, publicJwks());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Valid claims for a call of {@code aud}: issued now, expiring in 5 minutes, a fresh jti. */
    public JWTClaimsSet.Builder claims(String aud) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(iss)
                .audience(aud)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString())
                .claim("tenant", "2ddd6c3a-8e9a-44c6-a305-52111ad302a2");
    }

    public JWSHeader.Builder header(JWSAlgorithm alg, String kid) {
        return new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid);
    }

    public String es384(JWTClaimsSet claims) {
        return sign(header(JWSAlgorithm.ES384, ec.getKeyID()).build(), claims, ecSigner());
    }

    public String rs384(JWTClaimsSet claims) {
        return sign(header(JWSAlgorithm.RS384, rsa.getKeyID()).build(), claims, rsaSigner());
    }

    public JWSSigner ecSigner() {
        try {
            return new ECDSASigner(ec);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public JWSSigner rsaSigner() {
        try {
            return new RSASSASigner(rsa);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
