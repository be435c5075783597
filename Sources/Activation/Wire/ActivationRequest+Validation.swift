extension ActivationRequest {
    /// Checks every field against `limits`; nil when the request is valid.
    ///
    /// This is the wire-level check only: whether the service, countries, account and balance exist is the
    /// intake's business (``RejectionReason/Code-swift.struct/unknownService`` …).
    public func validationFailure(limits: WireLimits = .default) -> RejectionReason? {
        if self.schemaVersion != WireFormat.schemaVersion {
            return RejectionReason(
                .unsupportedSchemaVersion,
                "schema_version \(self.schemaVersion) is not supported; this worker reads version "
                    + "\(WireFormat.schemaVersion)",
                field: "schema_version")
        }
        let identifiers: [(String, String)] = [
            ("request_id", self.requestID), ("idempotency_key", self.idempotencyKey), ("account_id", self.accountID),
        ]
        for (field, value) in identifiers {
            if let reason = IdentifierRules.checkIdentifier(value, field: field, limits: limits) { return reason }
        }
        var codes: [(String, String)] = [("service", self.service), ("number_type", self.numberType)]
        if let supplierPool { codes.append(("supplier_pool", supplierPool)) }
        for (field, value) in codes {
            if let reason = IdentifierRules.checkCode(value, field: field, limits: limits) { return reason }
        }
        return self.countriesFailure(limits: limits) ?? self.priceFailure(limits: limits)
            ?? self.metadataFailure(limits: limits)
    }

    private func countriesFailure(limits: WireLimits) -> RejectionReason? {
        if self.countries.isEmpty {
            return RejectionReason(.emptyCountries, "countries is empty; list at least one allowed country",
                                   field: "countries")
        }
        if self.countries.count > limits.maxCountries {
            return RejectionReason(
                .tooManyCountries,
                "countries has \(self.countries.count) entries; the limit is \(limits.maxCountries)",
                field: "countries")
        }
        var seen = Set<String>()
        for (index, country) in self.countries.enumerated() {
            if let reason = IdentifierRules.checkCode(country, field: "countries[\(index)]", limits: limits) {
                return reason
            }
            if !seen.insert(country).inserted {
                return RejectionReason(.duplicateCountry, "countries lists \(country) twice",
                                       field: "countries[\(index)]")
            }
        }
        return nil
    }

    private func priceFailure(limits: WireLimits) -> RejectionReason? {
        if !self.maxPrice.hasValidCurrency {
            return RejectionReason(.invalidCurrency, "max_price.currency must be an ISO 4217 code such as USD",
                                   field: "max_price.currency")
        }
        if self.maxPrice.amountMinor <= 0 {
            return RejectionReason(
                .invalidPrice, "max_price.amount_minor is \(self.maxPrice.amountMinor); it must be positive",
                field: "max_price.amount_minor")
        }
        if self.maxPrice.amountMinor > limits.maxPriceMinor {
            return RejectionReason(
                .priceTooHigh,
                "max_price.amount_minor is \(self.maxPrice.amountMinor); the cap is \(limits.maxPriceMinor)",
                field: "max_price.amount_minor")
        }
        return nil
    }

    private func metadataFailure(limits: WireLimits) -> RejectionReason? {
        if self.metadata.count > limits.maxMetadataKeys {
            return RejectionReason(
                .metadataTooLarge, "metadata has \(self.metadata.count) keys; the limit is \(limits.maxMetadataKeys)",
                field: "metadata")
        }
        var total = 0
        for (key, value) in self.metadata {
            if key.unicodeScalars.contains("\u{0}") || value.unicodeScalars.contains("\u{0}") {
                // PostgreSQL's text and jsonb cannot hold U+0000: refuse it here, with the field, rather than fail
                // when the activation is stored.
                return RejectionReason(
                    .invalidValue, "metadata.\(key.prefix(64).replacingOccurrences(of: "\u{0}", with: "\\u0000")) contains U+0000 (NUL), which cannot be stored",
                    field: "metadata")
            }
            if key.utf8.isEmpty || key.utf8.count > limits.maxMetadataKeyBytes {
                return RejectionReason(
                    .metadataTooLarge, "a metadata key is empty or longer than \(limits.maxMetadataKeyBytes) bytes",
                    field: "metadata")
            }
            if value.utf8.count > limits.maxMetadataValueBytes {
                return RejectionReason(
                    .metadataTooLarge,
                    "metadata.\(key.prefix(64)) is \(value.utf8.count) bytes; the limit is \(limits.maxMetadataValueBytes)",
                    field: "metadata")
            }
            total += key.utf8.count + value.utf8.count
        }
        if total > limits.maxMetadataTotalBytes {
            return RejectionReason(
                .metadataTooLarge, "metadata is \(total) bytes; the limit is \(limits.maxMetadataTotalBytes)",
                field: "metadata")
        }
        return nil
    }
}
