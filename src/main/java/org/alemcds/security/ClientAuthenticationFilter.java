package org.alemcds.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.alemcds.web.ErrorResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <JWT>} from a trusted CDS client on every call — discovery included, as
 * CDS Hooks §Trusting CDS Clients asks. Any failure is a 401 with a generic OperationOutcome; the reason goes to the
 * log only. CORS preflights pass (browsers send them without credentials).
 */
public class ClientAuthenticationFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ClientAuthenticationFilter.class);
    /** Request attribute: the verified {@code iss} of the calling client (cards and feedback are bound to it). */
    public static final String CLIENT_ISSUER = "org.alemcds.security.clientIssuer";

    private final ClientTokenVerifier verifier;
    private final String serviceBaseUrl;
    private final ErrorResponses errors;
    private final List<String> openPaths;

    public ClientAuthenticationFilter(ClientTokenVerifier verifier, String serviceBaseUrl, ErrorResponses errors) {
        this(verifier, serviceBaseUrl, errors, List.of());
    }

    /** @param openPaths path prefixes that are not CDS Hooks calls and need no client token (the demo FHIR server) */
    public ClientAuthenticationFilter(ClientTokenVerifier verifier, String serviceBaseUrl, ErrorResponses errors,
            List<String> openPaths) {
        this.verifier = verifier;
        this.serviceBaseUrl = serviceBaseUrl;
        this.errors = errors;
        this.openPaths = List.copyOf(openPaths);
    }

    /** The open paths, and the governance report, which has its own access control ({@link GovernanceAccessFilter}). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return GovernanceAccessFilter.isGovernance(request) || openPaths.stream().anyMatch(path::startsWith);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (CorsUtils.isPreFlightRequest(request)) {
            chain.doFilter(request, response);
            return;
        }
        String token = bearerToken(request.getHeader("Authorization"));
        String reason;
        if (token == null) {
            reason = "no bearer token";
        } else {
            try {
                request.setAttribute(CLIENT_ISSUER, verifier.verify(token, calledUrl(request)).getIssuer());
                chain.doFilter(request, response);
                return;
            } catch (ClientTokenVerifier.RejectedToken e) {
                reason = e.getMessage();
            }
        }
        log.warn("Refused a CDS client on {} {}: {}", request.getMethod(), request.getRequestURI(), printable(reason));
        response.setHeader("WWW-Authenticate", "Bearer");
        errors.write(response, HttpStatus.UNAUTHORIZED, "Authentication failed.");
    }

    /** The URL the client called, which its token's {@code aud} must name. */
    String calledUrl(HttpServletRequest request) {
        return calledUrl(serviceBaseUrl, request);
    }

    static String calledUrl(String serviceBaseUrl, HttpServletRequest request) {
        if (serviceBaseUrl == null) {
            return request.getRequestURL().toString();
        }
        return serviceBaseUrl + request.getRequestURI().substring(request.getContextPath().length());
    }

    static String bearerToken(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** Log text from a token's content: printable, bounded. */
    private static String printable(String text) {
        if (text == null) {
            return "refused";
        }
        String clean = text.replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }
}
