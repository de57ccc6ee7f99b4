//! The statements and rows of the address book and favourites.

use app::accounts::model::Address;

pub const ADDRESSES: &str =
    "SELECT id, full_name, line1, line2, city, postcode, country, phone, is_default \
     FROM addresses WHERE customer_id = $1 ORDER BY is_default DESC, id";
pub const ADD_ADDRESS: &str = "INSERT INTO addresses (customer_id, full_name, line1, line2, city, postcode, country, phone, is_default, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) RETURNING id";
pub const UPDATE_ADDRESS: &str = "UPDATE addresses SET full_name = $3, line1 = $4, line2 = $5, city = $6, postcode = $7, country = $8, phone = $9 \
     WHERE customer_id = $1 AND id = $2";
pub const DELETE_ADDRESS: &str = "DELETE FROM addresses WHERE customer_id = $1 AND id = $2";
/// After a delete: if no default is left, the oldest address becomes the default.
pub const REPAIR_DEFAULT_ADDRESS: &str = "UPDATE addresses SET is_default = 1 \
     WHERE id = (SELECT MIN(id) FROM addresses WHERE customer_id = $1) \
     AND NOT EXISTS (SELECT 1 FROM addresses WHERE customer_id = $1 AND is_default = 1)";
pub const SET_DEFAULT_ADDRESS: &str = "UPDATE addresses SET is_default = CASE WHEN id = $2 THEN 1 ELSE 0 END \
     WHERE customer_id = $1 AND EXISTS (SELECT 1 FROM addresses WHERE customer_id = $1 AND id = $2)";

pub const FAVOURITES: &str = "SELECT product_code FROM favourites WHERE customer_id = $1 ORDER BY added_at DESC, product_code";
pub const ADD_FAVOURITE: &str = "INSERT INTO favourites (customer_id, product_code, added_at) \
     SELECT $1, code, $3 FROM products WHERE code = $2 ON CONFLICT DO NOTHING";
pub const REMOVE_FAVOURITE: &str =
    "DELETE FROM favourites WHERE customer_id = $1 AND product_code = $2";

#[derive(sqlx::FromRow)]
pub struct AddressRow {
    pub id: i64,
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
    pub phone: String,
    pub is_default: i64,
}

impl From<AddressRow> for Address {
    fn from(r: AddressRow) -> Self {
        Address {
            id: r.id,
            full_name: r.full_name,
            line1: r.line1,
            line2: r.line2,
            city: r.city,
            postcode: r.postcode,
            country: r.country,
            phone: r.phone,
            is_default: r.is_default != 0,
        }
    }
}
