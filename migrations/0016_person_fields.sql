-- People's coded fields (issue 11): one set of person fields every later feature reads (the Client Level Data
-- return, ASCOF, letters in an accessible format). The coded answers hold codes from the dated lists in
-- src/rules/england/person-fields.ts, and field_lists_id names the version of the lists they were answered from.
--
-- People recorded before this migration have no coded answers: NULL means "not asked yet" (a record made before
-- the question existed), never "declined" or "not known", which are answers with codes of their own. A person
-- added by staff, the API or the import answers every coded question.

ALTER TABLE people
  ADD COLUMN nhs_number text CHECK (nhs_number ~ '^[0-9]{10}$'),
  ADD COLUMN address_line_1 text CHECK (length(address_line_1) BETWEEN 1 AND 100),
  ADD COLUMN address_line_2 text CHECK (length(address_line_2) BETWEEN 1 AND 100),
  ADD COLUMN town text CHECK (length(town) BETWEEN 1 AND 100),
  ADD COLUMN phone text CHECK (length(phone) BETWEEN 1 AND 30),
  ADD COLUMN email text CHECK (length(email) BETWEEN 3 AND 254),
  ADD COLUMN sex text CHECK (sex ~ '^[a-z0-9-]{1,40}$'),
  ADD COLUMN ethnicity text CHECK (ethnicity ~ '^[a-z0-9-]{1,40}$'),
  ADD COLUMN accommodation_status text CHECK (accommodation_status ~ '^[a-z0-9-]{1,40}$'),
  ADD COLUMN employment_status text CHECK (employment_status ~ '^[a-z0-9-]{1,40}$'),
  ADD COLUMN has_unpaid_carer text CHECK (has_unpaid_carer ~ '^[a-z0-9-]{1,40}$'),
  ADD COLUMN gp_practice_name text CHECK (length(gp_practice_name) BETWEEN 1 AND 100),
  -- The practice's ODS code, e.g. A81001.
  ADD COLUMN gp_practice_code text CHECK (gp_practice_code ~ '^[A-Z][0-9]{5}$'),
  -- Accessible Information Standard needs, as codes; an empty array is "no needs", NULL "not asked yet".
  ADD COLUMN communication_needs text[],
  ADD COLUMN preferred_language text CHECK (length(preferred_language) BETWEEN 1 AND 60),
  ADD COLUMN field_lists_id text CHECK (length(field_lists_id) BETWEEN 1 AND 60);

-- One person per NHS number in a council: two records for one person would split their history.
CREATE UNIQUE INDEX people_nhs_number ON people (tenant_id, nhs_number) WHERE nhs_number IS NOT NULL;

-- The likely-duplicate check looks people up by name and date of birth, whatever the case.
CREATE INDEX people_name_birth ON people (tenant_id, lower(family_name), lower(given_name), date_of_birth);
