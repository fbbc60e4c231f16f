package io.keytrail.api;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.keytrail.errors.RefusalCode;

/**
 * Closed by default (design 11): every request, whatever its path, needs {@code Authorization: Bearer
 * <token>} with one of the two API tokens, checked before anything of the request is read. The right
 * of the token is left on the request for {@link AdminOperations} to check against the endpoint.
 */
class ApiAccessFilter extends OncePerRequestFilter {
    static final String RIGHT = ApiAccessFilter.class.getName() + ".right";
    private static final String BEARER = "Bearer ";

    private final ApiTokens tokens;

    ApiAccessFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ApiTokens.Right> right = tokens.rightOf(bearer(request.getHeader("Authorization")));
        if (right.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"keytrail\"");
            ErrorBodies.write(response, 401, RefusalCode.UNAUTHORIZED,
                    "send 'Authorization: Bearer <token>' with the API token (keytrail.api.token)");
            return;
        }
        request.setAttribute(RIGHT, right.get());
        chain.doFilter(request, response);
    }

    private static String bearer(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).strip();
    }
}
