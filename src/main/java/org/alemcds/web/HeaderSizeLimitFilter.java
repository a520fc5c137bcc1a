package org.alemcds.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses any single request header longer than {@code maxBytes}, before authentication: an oversized Authorization
 * header is a failed authentication (401), any other a 431. Tomcat's own limit on all headers together is set
 * higher ({@code server.max-http-request-header-size}) so that these answers, not its generic 400, are what a client
 * gets for one oversized header.
 */
public class HeaderSizeLimitFilter extends OncePerRequestFilter {

    private final int maxBytes;
    private final ErrorResponses errors;

    public HeaderSizeLimitFilter(int maxBytes, ErrorResponses errors) {
        this.maxBytes = maxBytes;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                if (name.length() + value.length() <= maxBytes) {
                    continue;
                }
                if (name.equalsIgnoreCase("Authorization")) {
                    response.setHeader("WWW-Authenticate", "Bearer");
                    errors.write(response, HttpStatus.UNAUTHORIZED, "Authentication failed.");
                } else {
                    errors.write(response, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                            "A request header is longer than this service accepts (" + maxBytes + " bytes).");
                }
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
