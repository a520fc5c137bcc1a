package org.alemcds.security;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Arrays;
import org.alemcds.web.ErrorResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The governance report's own access control, whether CDS client authentication is on or off: {@code /governance/**}
 * requires {@code Authorization: Bearer} with the governance token, or — with client authentication on — a client
 * JWT that passes every check of {@link ClientTokenVerifier} and carries the scope {@value #SCOPE}. Anything else is
 * a 401 OperationOutcome. A hook client's ordinary token does not open the report.
 */
public class GovernanceAccessFilter extends OncePerRequestFilter {

    public static final String PATH_PREFIX = "/governance/";
    static final String SCOPE = "governance";
    private static final Logger log = LoggerFactory.getLogger(GovernanceAccessFilter.class);

    private final byte[] tokenDigest;
    private final ClientTokenVerifier verifier;
    private final String serviceBaseUrl;
    private final ErrorResponses errors;

    /**
     * @param token the governance token, or null for none
     * @param verifier the client JWT verifier, or null when client authentication is off
     * @param serviceBaseUrl the public base URL a JWT's {@code aud} names (as for hook calls), or null
     */
    public GovernanceAccessFilter(String token, ClientTokenVerifier verifier, String serviceBaseUrl,
            ErrorResponses errors) {
        this.tokenDigest = token == null ? null : sha256(token);
        this.verifier = verifier;
        this.serviceBaseUrl = serviceBaseUrl;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isGovernance(request);
    }

    static boolean isGovernance(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith(PATH_PREFIX) || path.equals("/governance");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (CorsUtils.isPreFlightRequest(request)) {
            chain.doFilter(request, response);
            return;
        }
        String token = ClientAuthenticationFilter.bearerToken(request.getHeader("Authorization"));
        String refusal = token == null ? "no bearer token" : refusal(token, request);
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        log.warn("Refused a governance reader on {} {}: {}", request.getMethod(), request.getRequestURI(), refusal);
        response.setHeader("WWW-Authenticate", "Bearer");
        errors.write(response, HttpStatus.UNAUTHORIZED, "Authentication failed.");
    }

    /** Null when the token opens the report; otherwise why not (for the log). */
    private String refusal(String token, HttpServletRequest request) {
        if (tokenDigest != null && MessageDigest.isEqual(tokenDigest, sha256(token))) {
            return null;
        }
        if (verifier == null || token.chars().filter(c -> c == '.').count() != 2) {
            return "not the governance token";
        }
        try {
            JWTClaimsSet claims = verifier.verify(token, ClientAuthenticationFilter.calledUrl(serviceBaseUrl, request));
            String scope = claims.getStringClaim("scope");
            if (scope != null && Arrays.asList(scope.trim().split("\\s+")).contains(SCOPE)) {
                return null;
            }
            return "a client JWT without the scope '" + SCOPE + "'";
        } catch (ClientTokenVerifier.RejectedToken e) {
            return "JWT refused";
        } catch (ParseException e) {
            return "a JWT whose scope is not a string";
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
