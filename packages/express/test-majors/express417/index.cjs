'use strict';
// Loaded under its real name so that require-in-the-middle (OpenTelemetry instrumentations) patches it.
module.exports = require('express');
